// The bot's cold start, side by side: from process start to its `ready` log line (model and
// index loaded, commands loaded, logged in to the gateway), against the local Discord API twin
// (test/e2e/harness.ts), on the bundled library. Checkouts take turns, so a busy machine slows
// each alike.
//
//   npx tsx scripts/bench/bot-startup.ts --checkout before=/tmp/old --checkout after=. [--runs 8]
//
// Each checkout must be built (`npm run build`); its compiled bot runs as `npm start` runs it.
// The index is built once, by an untimed first start of the first checkout.
import { loadavg } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { startBot, startHarness, stopHarness, waitForExit, type Harness } from '../../test/e2e/harness.js';
import { count, namedDir } from './flags.js';
import { scriptNodeFlags, spread } from './startup.js';

interface Checkout {
  name: string;
  dir: string;
}

/** Starts one checkout's compiled bot, stops it once ready, and returns the milliseconds it took to be ready. */
async function timeToReady(harness: Harness, checkout: Checkout): Promise<number> {
  const started = performance.now();
  await startBot(harness, { executable: process.execPath, args: [...scriptNodeFlags(checkout.dir, 'start'), path.join(checkout.dir, 'dist', 'src', 'bot.js')], cwd: checkout.dir });
  const ms = performance.now() - started;
  harness.bot?.kill('SIGTERM');
  if (harness.bot) await waitForExit(harness.bot);
  return ms;
}

async function main(checkouts: Checkout[], runs: number): Promise<void> {
  const harness = await startHarness();
  try {
    await timeToReady(harness, checkouts[0] as Checkout);
    const samples = new Map(checkouts.map((c) => [c.name, [] as number[]]));
    const loadBefore = loadavg();
    for (let run = 0; run < runs; run++) {
      // Rotate who goes first, so neither always starts right after the other's exit.
      const order = checkouts.map((_, i) => checkouts[(i + run) % checkouts.length] as Checkout);
      for (const checkout of order) {
        const ms = await timeToReady(harness, checkout);
        samples.get(checkout.name)?.push(ms);
        process.stderr.write(`${checkout.name}: ready after ${ms.toFixed(0)} ms\n`);
      }
    }
    process.stdout.write('| checkout | runs | process start to ready, median ms (min–max) |\n|---|---|---|\n');
    for (const [name, values] of samples) {
      const { median, min, max } = spread(values);
      process.stdout.write(`| ${name} | ${String(values.length)} | ${median.toFixed(0)} (${min.toFixed(0)}–${max.toFixed(0)}) |\n`);
    }
    process.stdout.write(`\nload average at start ${loadBefore.map((n) => n.toFixed(2)).join(' ')}, at end ${loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);
  } finally {
    await stopHarness(harness);
  }
}

const checkouts: Checkout[] = [];
const program = new Command('bot-startup')
  .description("The bot's process start to ready, against the local Discord twin, checkouts taking turns")
  .option('--checkout <name=dir>', 'a built checkout to measure; repeatable', (value: string) => {
    checkouts.push(namedDir(value));
  })
  .option('--runs <n>', 'starts per checkout', count, 6)
  .action(async (flags: { runs: number }) => {
    if (checkouts.length === 0) checkouts.push({ name: 'this', dir: path.resolve('.') });
    await main(checkouts, flags.runs);
  });

await program.parseAsync(process.argv.slice(2), { from: 'user' });
