// Warm /ask latency of two or more builds side by side, in one process, question by question:
// each checkout's compiled code (dist/) opens its own model and index, then every question is
// asked of each in turn, so a busy machine slows all of them alike.
//
//   npx tsx scripts/bench/warm-compare.ts --workdir /tmp/witness-bench-sotu --checkout before=/tmp/old --checkout after=.
//
// Questions: the benchmark's (10 to warm up, then --queries timed), k = 3.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { count, namedDir } from './flags.js';
import { percentile } from './measure.js';
import { probeQuestions } from './questions.js';
import type { Library } from '../../src/search/library.js';

interface Opened {
  name: string;
  ask: (question: string) => Promise<unknown>;
  library: Library;
}

async function open(name: string, dir: string, workdir: string): Promise<Opened> {
  const load = (file: string): Promise<Record<string, unknown>> => import(pathToFileURL(path.join(dir, 'dist', file)).href) as Promise<Record<string, unknown>>;
  const [config, log, witness] = await Promise.all([load('src/config.js'), load('src/log.js'), load('src/witness.js')]);
  const loadCoreConfig = config.loadCoreConfig as (o: Record<string, unknown>) => unknown;
  const createLogger = log.createLogger as (level: string) => unknown;
  const openWitness = witness.openWitness as (c: unknown, l: unknown) => Promise<{ answerer: { ask(q: string, o: { k: number }): Promise<unknown> }; library: Library; report: { upToDate: boolean } }>;
  const opened = await openWitness(loadCoreConfig({ corpusDir: path.join(workdir, 'corpus'), indexDir: path.join(workdir, 'index'), logLevel: 'error' }), createLogger('error'));
  if (!opened.report.upToDate) throw new Error(`${name}: the index was not up to date for this build (it re-ingested)`);
  return { name, ask: (q) => opened.answerer.ask(q, { k: 3 }), library: opened.library };
}

const checkouts: { name: string; dir: string }[] = [];
const program = new Command('warm-compare')
  .requiredOption('--workdir <dir>', 'work folder with corpus/ and an up-to-date index/')
  .option('--checkout <name=dir>', 'a checkout built with npm run build; repeatable', (value: string) => {
    checkouts.push(namedDir(value));
  })
  .option('--queries <n>', 'timed questions', count, 200)
  .option('--rounds <n>', 'passes over the questions', count, 1)
  .option('--out <file>', 'write the JSON result here')
  .action(async (flags: { workdir: string; queries: number; rounds: number; out?: string }) => {
    const workdir = path.resolve(flags.workdir);
    const opened: Opened[] = [];
    for (const { name, dir } of checkouts) opened.push(await open(name, dir, workdir));
    const first = opened[0];
    if (!first) throw new Error('give at least one --checkout');
    const questions = probeQuestions(first.library, flags.queries + 10);
    for (const question of questions.slice(0, 10)) for (const o of opened) await o.ask(question);
    const times = new Map<string, number[]>(opened.map((o) => [o.name, []]));
    for (let round = 0; round < flags.rounds; round++) {
      for (const [i, question] of questions.slice(10).entries()) {
        for (let j = 0; j < opened.length; j++) {
          const o = opened[(i + j) % opened.length] as Opened;
          const start = performance.now();
          await o.ask(question);
          times.get(o.name)?.push(performance.now() - start);
        }
      }
    }
    const summary = opened.map((o) => {
      const sorted = [...(times.get(o.name) ?? [])].sort((a, b) => a - b);
      return { name: o.name, n: sorted.length, p25: percentile(sorted, 25), p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
    });
    const result = { workdir, loadAverage: loadavg(), summary };
    if (flags.out) writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`);
    const lines = ['| build | questions | p25 ms | p50 ms | p95 ms | p99 ms |', '|---|---|---|---|---|---|'];
    for (const s of summary) lines.push(`| ${s.name} | ${String(s.n)} | ${s.p25.toFixed(1)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} |`);
    process.stdout.write(`${lines.join('\n')}\nload average ${loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);
    process.exit(0);
  });

await program.parseAsync(process.argv.slice(2), { from: 'user' });
