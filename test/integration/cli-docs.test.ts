import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { runCli } from '../helpers/run-cli.js';

// The CLI's own --help and docs/cli.md must not drift apart: every option the CLI takes is in
// the page's synopsis, and every option the synopsis shows is one the CLI takes.
describe('docs/cli.md agrees with --help', () => {
  const page = readFileSync(path.join(PROJECT_ROOT, 'docs', 'cli.md'), 'utf8');
  const synopsis = /```sh\n([\s\S]*?)```/u.exec(page)?.[1] ?? '';

  for (const command of ['ingest', 'ask', 'eval']) {
    it(`lists every option of ${command}, and only those`, () => {
      const help = runCli([command, '--help']);
      expect(help.status).toBe(0);
      const offered = new Set([...help.stdout.matchAll(/^\s+(--[a-z-]+)/gmu)].map((match) => match[1] as string));
      offered.delete('--help');
      const line = synopsis.split('\n').find((l) => l.startsWith(`npm run ${command}`)) ?? '';
      const documented = new Set([...line.matchAll(/(--[a-z-]+)/gu)].map((match) => match[1] as string));
      expect([...offered].filter((flag) => !documented.has(flag)), `${command} options missing from docs/cli.md`).toEqual([]);
      expect([...documented].filter((flag) => !offered.has(flag)), `${command} options in docs/cli.md the CLI does not take`).toEqual([]);
    });
  }
});
