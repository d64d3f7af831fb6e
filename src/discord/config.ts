import { z } from 'zod';
import path from 'node:path';
import { CHECKOUT_ROOT, loadCoreConfig, type CoreConfig } from '../config.js';

/** Words that mark a passage as graphic: it is then shown behind spoiler bars with a content warning. */
export const DEFAULT_GRAPHIC_KEYWORDS = [
  'torture',
  'tortured',
  'torturing',
  'execution',
  'executed',
  'beheaded',
  'beheading',
  'rape',
  'raped',
  'sexual violence',
  'sexual assault',
  'mutilated',
  'massacre',
];

/** Discord bot tokens are three base64url parts joined by dots; anything else is a paste error. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{18,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$/u;
const SNOWFLAKE = /^\d{15,21}$/u;

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const BotEnvSchema = z.object({
  DISCORD_TOKEN: z.string({ error: 'is missing: set it to the bot token from the Discord Developer Portal (Bot → Reset Token)' }).regex(TOKEN_SHAPE, {
    error: 'is malformed: expected the bot token exactly as the Developer Portal shows it (three dot-separated parts, no "Bot " prefix or quotes)',
  }),
  DISCORD_GUILD_ID: z.string().regex(SNOWFLAKE, { error: 'must be a server id (a number of 15–21 digits)' }).optional(),
  DISCORD_APPLICATION_ID: z.string().regex(SNOWFLAKE, { error: 'must be an application id (a number of 15–21 digits)' }).optional(),
  DISCORD_API_BASE: z
    .url({ protocol: /^https?$/u, error: 'must be an http(s) URL such as https://discord.com/api' })
    .default('https://discord.com/api')
    .transform((url) => url.replace(/\/+$/u, '')),
  WITNESS_COOLDOWN_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(0).max(3600).default(10),
  WITNESS_CONTENT_WARNINGS: booleanFromEnv.default(true),
  WITNESS_GRAPHIC_KEYWORDS: z
    .string()
    .transform((list) => list.split(',').map((word) => word.trim().toLowerCase()).filter(Boolean))
    .optional(),
  WITNESS_QUEUE_LIMIT: z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(1000).default(16),
  WITNESS_UPLOAD_MAX_BYTES: z.coerce.number({ error: 'must be a whole number of bytes' }).int().min(1).max(25 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Let `/library add url:` fetch loopback, private and link-local addresses: for tests against a local server only. */
  WITNESS_FETCH_ALLOW_PRIVATE: booleanFromEnv.default(false),
  WITNESS_FETCH_TIMEOUT_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(1).max(300).default(20),
  WITNESS_OPS_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65535).optional(),
  WITNESS_SERVERS_DIR: z.string().min(1).optional(),
  WITNESS_SERVER_MAX_DOCUMENTS: z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(100_000).default(100),
  WITNESS_SERVER_MAX_MB: z.coerce.number({ error: 'must be a number of megabytes' }).min(1).max(1_000_000).default(200),
  WITNESS_OPEN_LIBRARIES_MB: z.coerce.number({ error: 'must be a number of megabytes' }).min(1).max(1_000_000).default(256),
});

export interface BotConfig {
  token: string;
  guildId: string | null;
  applicationId: string | null;
  apiBase: string;
  cooldownSeconds: number;
  contentWarnings: boolean;
  graphicKeywords: string[];
  /** Questions allowed to wait for the embedder before new ones are turned away. */
  queueLimit: number;
  uploadMaxBytes: number;
  fetchAllowPrivate: boolean;
  fetchTimeoutSeconds: number;
  /** Loopback port of /healthz and /metrics (ops-server.ts); null: off. */
  opsPort: number | null;
  /** One folder per server's own library (server-libraries.ts). */
  serversDir: string;
  /** Per-server limits on its own library. */
  serverMaxDocuments: number;
  serverMaxBytes: number;
  /** Server libraries are closed, least recently used first, while their estimated size passes this. */
  openLibrariesBytes: number;
  core: CoreConfig;
}

export class BotConfigError extends Error {
  override name = 'BotConfigError';
}

/**
 * Reads the bot's settings from the environment. Problems are reported by variable name
 * only: a value may be a secret, so it never appears in the message.
 */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const raw = Object.fromEntries(Object.keys(BotEnvSchema.shape).flatMap((name) => (env[name] === undefined || env[name] === '' ? [] : [[name, env[name]?.trim()]])));
  const parsed = BotEnvSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'configuration')} ${issue.message}`);
    throw new BotConfigError(problems.join('; '));
  }
  const settings = parsed.data;
  // The bot logs at info by default so the `ready` line is seen; the CLI stays quiet. Questions are
  // embedded on one single-threaded model session; a /library add embeds on one session per core
  // (WITNESS_EMBED_THREADS), and a question asked meanwhile was acknowledged in 0.03 s and answered
  // in 0.24 s (BENCHMARKS.md, session 11).
  const core = loadCoreConfig({ logLevel: env.WITNESS_LOG_LEVEL || 'info' }, env);
  return {
    token: settings.DISCORD_TOKEN,
    guildId: settings.DISCORD_GUILD_ID ?? null,
    applicationId: settings.DISCORD_APPLICATION_ID ?? null,
    apiBase: settings.DISCORD_API_BASE,
    cooldownSeconds: settings.WITNESS_COOLDOWN_SECONDS,
    contentWarnings: settings.WITNESS_CONTENT_WARNINGS,
    graphicKeywords: settings.WITNESS_GRAPHIC_KEYWORDS ?? DEFAULT_GRAPHIC_KEYWORDS,
    queueLimit: settings.WITNESS_QUEUE_LIMIT,
    uploadMaxBytes: settings.WITNESS_UPLOAD_MAX_BYTES,
    fetchAllowPrivate: settings.WITNESS_FETCH_ALLOW_PRIVATE,
    fetchTimeoutSeconds: settings.WITNESS_FETCH_TIMEOUT_SECONDS,
    opsPort: settings.WITNESS_OPS_PORT ?? null,
    serversDir: path.resolve(settings.WITNESS_SERVERS_DIR ?? path.join(CHECKOUT_ROOT, 'servers')),
    serverMaxDocuments: settings.WITNESS_SERVER_MAX_DOCUMENTS,
    serverMaxBytes: Math.round(settings.WITNESS_SERVER_MAX_MB * 1024 * 1024),
    openLibrariesBytes: Math.round(settings.WITNESS_OPEN_LIBRARIES_MB * 1024 * 1024),
    core,
  };
}

/** The application id is the bot user's id, which Discord encodes in the token's first part. */
export function applicationIdFromToken(token: string): string | null {
  const first = token.split('.')[0] ?? '';
  const decoded = Buffer.from(first, 'base64url').toString('utf8');
  return SNOWFLAKE.test(decoded) ? decoded : null;
}
