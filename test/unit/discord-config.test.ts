import { describe, expect, it } from 'vitest';
import { applicationIdFromToken, BotConfigError, DEFAULT_GRAPHIC_KEYWORDS, loadBotConfig } from '../../src/discord/config.js';

const TOKEN = `${Buffer.from('123456789012345678').toString('base64url')}.GhJkLm.${'Zq9'.repeat(9)}x`;

function problem(env: Record<string, string>): string {
  try {
    loadBotConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(BotConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('loadBotConfig', () => {
  it('names DISCORD_TOKEN when it is missing, on one line', () => {
    const message = problem({});
    expect(message).toMatch(/^DISCORD_TOKEN is missing/u);
    expect(message).not.toContain('\n');
  });

  it('says a malformed token is malformed without ever echoing it', () => {
    for (const token of ['Bot ' + TOKEN, 'not-a-token-secret-value-123', `"${TOKEN}"`, TOKEN.replace(/\./gu, '')]) {
      const message = problem({ DISCORD_TOKEN: token });
      expect(message).toMatch(/^DISCORD_TOKEN is malformed/u);
      expect(message).not.toContain(token);
      expect(message).not.toContain(TOKEN.split('.')[2] as string);
    }
  });

  it('applies defaults and reads every setting', () => {
    const defaults = loadBotConfig({ DISCORD_TOKEN: TOKEN });
    expect(defaults).toMatchObject({ apiBase: 'https://discord.com/api', guildId: null, cooldownSeconds: 10, contentWarnings: true, queueLimit: 16, uploadMaxBytes: 10485760, fetchAllowPrivate: false, fetchTimeoutSeconds: 20 });
    expect(defaults.graphicKeywords).toEqual(DEFAULT_GRAPHIC_KEYWORDS);
    expect(defaults.core.logLevel).toBe('info');
    const set = loadBotConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_GUILD_ID: '123456789012345678',
      DISCORD_API_BASE: 'http://127.0.0.1:9999/api/',
      WITNESS_COOLDOWN_SECONDS: '0',
      WITNESS_CONTENT_WARNINGS: 'off',
      WITNESS_GRAPHIC_KEYWORDS: 'Gore, blood ',
      WITNESS_LOG_LEVEL: 'debug',
    });
    expect(set).toMatchObject({ guildId: '123456789012345678', apiBase: 'http://127.0.0.1:9999/api', cooldownSeconds: 0, contentWarnings: false, graphicKeywords: ['gore', 'blood'] });
    expect(set.core.logLevel).toBe('debug');
  });

  it('rejects bad optional settings by name', () => {
    expect(problem({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: 'general' })).toMatch(/^DISCORD_GUILD_ID/u);
    expect(problem({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: 'ftp://x' })).toMatch(/^DISCORD_API_BASE/u);
    expect(problem({ DISCORD_TOKEN: TOKEN, WITNESS_COOLDOWN_SECONDS: 'soon' })).toMatch(/^WITNESS_COOLDOWN_SECONDS/u);
  });

  it('reads the application id from the token', () => {
    expect(applicationIdFromToken(TOKEN)).toBe('123456789012345678');
    expect(applicationIdFromToken('abc.def.ghi')).toBeNull();
  });
});
