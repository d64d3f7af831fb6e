import { availableParallelism } from 'node:os';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Logger } from '../log.js';
import type { Witness } from '../witness.js';
import { AnswerStore } from './answer-store.js';
import type { BotConfig } from './config.js';
import { Cooldowns } from './cooldowns.js';
import { describeError } from './errors.js';
import { HealthMonitor } from './health.js';
import { LibraryState } from './library-state.js';
import { ServerLibraries } from './server-libraries.js';
import { BotMetrics } from './metrics.js';
import { startOpsServer } from './ops-server.js';
import { loadCommands } from './loader.js';
import { Router } from './router.js';
import { LIBRARY_BUSY, WorkQueue } from './work-queue.js';

/** How often the bot logs its `stats` line (acknowledgement times, event-loop delay, memory) while running. */
const STATS_INTERVAL_MS = 15 * 60 * 1000;

export interface RunningBot {
  client: Client<true>;
  /** The port /healthz and /metrics listen on (loopback), or null when WITNESS_OPS_PORT is unset. */
  opsPort: number | null;
  /** Finishes replies under way (up to `timeoutMs`), then disconnects and frees the model. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Loads the commands, waits for the library (`opening`: the model and the index, started by the
 * caller before discord.js was imported, so the two overlap), logs in, and routes interactions
 * until stopped.
 */
export async function startBot(config: BotConfig, logger: Logger, opening: Promise<Witness>): Promise<RunningBot> {
  const commands = await loadCommands();
  const witness = await opening;
  const base = new LibraryState(witness, config.core, logger);
  const queue = new WorkQueue(config.queueLimit);
  const libraryJobs = config.core.store === 'solr' ? queue : new WorkQueue(config.queueLimit, 1, LIBRARY_BUSY);
  const libraries: ServerLibraries = new ServerLibraries(base, {
    root: config.serversDir,
    budgetBytes: config.openLibrariesBytes,
    limits: { documents: config.serverMaxDocuments, bytes: config.serverMaxBytes },
    core: config.core,
    logger,
    // A server library left with a quick add's provisional sentences answers at once, and is finished behind other library changes.
    finishProvisional: (serverId, state) => void state.finishProvisional(libraryJobs, logger.child({ guildId: serverId })).then(() => libraries.measure(serverId)).catch(() => undefined),
  });
  const health = new HealthMonitor();
  const metrics = new BotMetrics({
    queue: () => ({ waiting: queue.pending, running: queue.active }),
    base: () => base.current.library.documents.length,
    servers: () => libraries.openLibraries(),
  });
  let serving = false;
  // The operator's port opens before login, so a health check sees "starting" rather than nothing.
  const ops = config.opsPort === null ? null : await startOpsServer(config.opsPort, metrics, () => serving);
  const router = new Router(
    commands,
    {
      config,
      libraries,
      queue,
      libraryJobs,
      answers: new AnswerStore(),
      style: { contentWarnings: config.contentWarnings, graphicKeywords: config.graphicKeywords },
    },
    new Cooldowns(config.cooldownSeconds),
    logger,
    health,
    metrics,
  );
  // Slash commands, buttons and autocomplete need no privileged intent; Guilds is the minimum.
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: config.apiBase }, allowedMentions: { parse: [] } });
  client.on(Events.InteractionCreate, (interaction) => router.handle(interaction));
  client.on(Events.Error, (error) => logger.error({ err: describeError(error, [config.token]) }, 'client error'));
  client.on(Events.ShardError, (error) => logger.warn({ err: describeError(error, [config.token]) }, 'gateway connection error'));
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(config.token);
  } catch (error) {
    await ops?.close();
    await witness.embedder.dispose();
    await client.destroy();
    throw error;
  }
  const readyClient = await ready;
  serving = true;
  health.resetEventLoop();
  const logStats = (): void => logger.info({ event: 'stats', ...health.snapshot() }, 'stats');
  const statsTimer = setInterval(logStats, STATS_INTERVAL_MS).unref();
  const { report } = witness;
  logger.info(
    {
      event: 'ready',
      user: readyClient.user.tag,
      guilds: readyClient.guilds.cache.size,
      commands: commands.size,
      documents: report.documents,
      passages: report.passages,
      embedded: report.embedded,
      skipped: report.skipped.length,
      model: witness.embedder.modelId,
      // Model sessions a /library add embeds on (questions always use one).
      embedThreads: config.core.embedThreads || availableParallelism(),
      opsPort: ops?.port ?? null,
      serversDir: config.serversDir,
    },
    'ready',
  );
  return {
    client: readyClient,
    opsPort: ops?.port ?? null,
    async stop(timeoutMs = 10_000) {
      serving = false;
      await router.drain(timeoutMs);
      clearInterval(statsTimer);
      logStats();
      health.stop();
      await client.destroy();
      await ops?.close();
      await base.current.embedder.dispose();
      logger.info({ event: 'stopped' }, 'stopped');
    },
  };
}
