import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../config.js';
import type { CommandModule } from './command.js';

export const COMMANDS_DIR = path.join(PROJECT_ROOT, 'commands');

function isCommandModule(value: unknown): value is CommandModule {
  const module = value as Partial<CommandModule> | null;
  return (
    typeof module === 'object' &&
    module !== null &&
    typeof module.data?.name === 'string' &&
    typeof module.data.toJSON === 'function' &&
    typeof module.execute === 'function' &&
    (module.autocomplete === undefined || typeof module.autocomplete === 'function')
  );
}

/** Every command module in the folder, by command name. Adding a command is adding a file. */
export async function loadCommands(dir: string = COMMANDS_DIR): Promise<Map<string, CommandModule>> {
  const files = (await readdir(dir)).filter((file) => /\.(ts|js|mjs)$/u.test(file) && !/\.(d|test)\.[jt]s$/u.test(file)).sort();
  const commands = new Map<string, CommandModule>();
  for (const file of files) {
    const module: unknown = await import(pathToFileURL(path.join(dir, file)).href);
    if (!isCommandModule(module)) throw new Error(`commands/${file} must export \`data\` (a command builder) and \`execute(interaction, ctx)\``);
    const name = module.data.name;
    if (commands.has(name)) throw new Error(`commands/${file} defines "${name}", which another file already defines`);
    commands.set(name, module);
  }
  return commands;
}
