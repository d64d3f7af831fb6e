import { describe, expect, it } from 'vitest';
import { runScript, TOKEN } from './harness.js';

describe('npm start with bad settings', () => {
  it('exits 1 with one line naming DISCORD_TOKEN when it is missing', async () => {
    const result = await runScript({ env: {} }, 'src/bot.ts');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^witness-bot: DISCORD_TOKEN is missing/u);
  });

  it('exits 1 without printing a malformed token', async () => {
    const malformed = `Bot ${TOKEN}`;
    const result = await runScript({ env: { DISCORD_TOKEN: malformed } }, 'src/bot.ts');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^witness-bot: DISCORD_TOKEN is malformed/u);
    expect(result.stderr + result.stdout).not.toContain(TOKEN.split('.')[2] as string);
  });

  it('npm run register refuses the same way', async () => {
    const result = await runScript({ env: {} }, 'scripts/register-commands.ts');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^register: DISCORD_TOKEN is missing/u);
  });
});
