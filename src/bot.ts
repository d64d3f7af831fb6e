import { ConfigError } from './config.js';
import type { RunningBot } from './discord/client.js';
import { BotConfigError, loadBotConfig, type BotConfig } from './discord/config.js';
import { describeError } from './discord/errors.js';
import { createLogger } from './log.js';
import { preloadAnswerSignals } from './library/answer-signals.js';
import { openWitness } from './witness.js';

/** `npm start`: the Discord bot. Settings come from the environment (docs/discord.md). */
async function main(): Promise<number> {
  let config: BotConfig;
  try {
    config = loadBotConfig();
  } catch (error) {
    if (error instanceof BotConfigError || error instanceof ConfigError) {
      process.stderr.write(`witness-bot: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger(config.core.logLevel, 'witness-bot');
  let bot: RunningBot;
  try {
    // The model starts loading in its worker thread, and the index is read, while discord.js
    // (about 0.6 s to import) and the commands load.
    const opening = openWitness(config.core, logger);
    opening.catch(() => undefined);
    const { startBot } = await import('./discord/client.js');
    bot = await startBot(config, logger, opening);
    // wink-nlp (read by "not stated") loads now, between interactions, not inside a user's question.
    setImmediate(preloadAnswerSignals);
  } catch (error) {
    const problem = describeError(error, [config.token]);
    logger.fatal({ err: problem }, 'could not start');
    process.stderr.write(`witness-bot: could not start: ${problem.message}\n`);
    return 1;
  }
  const running = bot;
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ event: 'shutdown', signal }, 'shutting down');
      running
        .stop()
        .catch((error: unknown) => logger.error({ err: describeError(error, [config.token]) }, 'unclean shutdown'))
        .finally(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

process.exitCode = await main();
// Open handles (model threads, sockets) must not keep a stopped bot alive.
setTimeout(() => process.exit(), 200).unref();
