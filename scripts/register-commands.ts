import { REST, Routes, type RESTGetCurrentApplicationResult } from 'discord.js';
import { applicationIdFromToken, BotConfigError, loadBotConfig } from '../src/discord/config.js';
import { describeError } from '../src/discord/errors.js';
import { loadCommands } from '../src/discord/loader.js';

/** `npm run register`: deploys the definitions in commands/ to one server (DISCORD_GUILD_ID) or globally. */
async function main(): Promise<number> {
  let config;
  try {
    config = loadBotConfig();
  } catch (error) {
    if (error instanceof BotConfigError) {
      process.stderr.write(`register: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    const commands = await loadCommands();
    const body = [...commands.values()].map((command) => command.data.toJSON());
    const rest = new REST({ api: config.apiBase }).setToken(config.token);
    const applicationId =
      config.applicationId ?? applicationIdFromToken(config.token) ?? ((await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult).id;
    const route = config.guildId ? Routes.applicationGuildCommands(applicationId, config.guildId) : Routes.applicationCommands(applicationId);
    const deployed = (await rest.put(route, { body })) as unknown[];
    const where = config.guildId ? `server ${config.guildId} (available at once)` : 'all servers (global; may take up to an hour to appear)';
    process.stdout.write(`Registered ${String(deployed.length)} commands for ${where}: ${body.map((command) => command.name).join(', ')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`register: ${describeError(error, [config.token]).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
