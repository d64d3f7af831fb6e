// Cold start, side by side: time from process start to the first answer on an index already on
// disk, for the compiled JavaScript (what `npm run ask` / `npm start` run) and for TypeScript
// through tsx, and optionally for other checkouts (e.g. an older commit) — interleaved, so a
// busy machine slows every variant alike.
//
//   npx tsx scripts/bench/startup.ts --workdir /tmp/witness-bench-sotu --runs 5
//   npx tsx scripts/bench/startup.ts --workdir DIR --checkout before=/tmp/old-checkout --modes compiled
//
// Compiled variants run with the node flags of the npm script they stand for (`start` for
// serving, `ask` for the CLI; see scriptNodeFlags). The work folder needs corpus/, index/ (built
// and up to date) and questions.json (written by `npm run bench -- --workdir DIR`). A variant
// that has to re-ingest is stopped and reported, never left to rebuild the index.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { count, namedDir } from './flags.js';
import { percentile } from './measure.js';

export type Mode = 'compiled' | 'tsx';
export type Kind = 'serve' | 'cli';

export interface Variant {
  label: string;
  checkout: string;
  mode: Mode;
  kind: Kind;
  /** Flags for node, e.g. V8 heap settings; by default a compiled variant gets those of the npm script it stands for. */
  nodeFlags?: string[];
  /** A work folder of its own (e.g. the same library indexed by other code); default: the run's. */
  workdir?: string;
}

export interface ColdRun {
  /** Spawn to the first answer on stdout, measured by the parent. */
  firstAnswerMs: number;
  /** serve only: peak RSS after the first answer, and after serving every question. */
  startupPeakRssMB?: number;
  servingPeakRssMB?: number;
  /** serve only: CPU time of every thread of the process up to the first answer. */
  startupCpuMs?: number;
  /** serve only: warm ask latency over the questions served after the first ten. */
  askP50Ms?: number;
  askP95Ms?: number;
}

const THIS_CHECKOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** A run that has not answered by then is rebuilding the index or stuck: stop it. */
const TIMEOUT_MS = 60_000;

/**
 * The node flags an npm script of a checkout runs with (`node --flag … dist/…`), so the compiled
 * variants start exactly as `npm start` (serving) and `npm run ask` (CLI) do.
 */
export function scriptNodeFlags(checkout: string, script: string): string[] {
  try {
    const scripts = (JSON.parse(readFileSync(path.join(checkout, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    const words = (scripts[script] ?? '').split(/\s+/u);
    if (words[0] !== 'node') return [];
    const flags: string[] = [];
    for (const word of words.slice(1)) {
      if (!word.startsWith('--')) break;
      flags.push(word);
    }
    return flags;
  } catch {
    return [];
  }
}

function command(variant: Variant, corpusDir: string, indexDir: string, questionsFile: string, question: string): string[] {
  const { checkout, mode, kind } = variant;
  const productFlags = mode === 'compiled' && variant.nodeFlags === undefined ? scriptNodeFlags(checkout, kind === 'serve' ? 'start' : 'ask') : [];
  const flags = [...productFlags, ...(variant.nodeFlags ?? []), ...(mode === 'tsx' ? ['--import', 'tsx'] : [])];
  if (kind === 'serve') {
    const script = mode === 'compiled' ? path.join(checkout, 'dist/scripts/bench/serve-probe.js') : path.join(checkout, 'scripts/bench/serve-probe.ts');
    return [...flags, script, corpusDir, indexDir, questionsFile];
  }
  const cli = mode === 'compiled' ? path.join(checkout, 'dist/src/cli.js') : path.join(checkout, 'src/cli.ts');
  return [...flags, cli, 'ask', '--corpus', corpusDir, '--index', indexDir, '--json', question];
}

/** One cold start of one variant. */
export function coldStart(variant: Variant, defaultWorkdir: string): Promise<ColdRun> {
  const workdir = variant.workdir ?? defaultWorkdir;
  const questionsFile = path.join(workdir, 'questions.json');
  const corpusDir = path.join(workdir, 'corpus');
  const indexDir = path.join(workdir, 'index');
  const question = (JSON.parse(readFileSync(questionsFile, 'utf8')) as string[])[0] as string;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, command(variant, corpusDir, indexDir, questionsFile, question), {
      cwd: variant.checkout,
      env: { ...process.env, WITNESS_LOG_LEVEL: 'error' },
    });
    let stdout = '';
    let stderr = '';
    let first = Number.NaN;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${variant.label}: no answer after ${String(TIMEOUT_MS / 1000)} s (is the index up to date for this checkout?)`));
    }, TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (Number.isNaN(first) && (variant.kind === 'cli' ? stdout.includes('\n') : stdout.includes('first '))) first = performance.now() - started;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${variant.label} exited with ${String(code)}: ${stderr.trim()}`));
      if (variant.kind === 'cli') {
        if (/Indexed \d+ documents/u.test(stderr)) return reject(new Error(`${variant.label} re-ingested the library: not a cold start on an index on disk`));
        return resolve({ firstAnswerMs: first });
      }
      const report = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
        upToDate: boolean;
        maxRssMB: number;
        startup?: { maxRssMB: number; cpuMs?: number };
        askP50Ms?: number | null;
        askP95Ms?: number | null;
      };
      if (!report.upToDate) return reject(new Error(`${variant.label} re-ingested the library: not a cold start on an index on disk`));
      resolve({
        firstAnswerMs: first,
        servingPeakRssMB: report.maxRssMB,
        ...(report.startup ? { startupPeakRssMB: report.startup.maxRssMB } : {}),
        ...(report.startup?.cpuMs !== undefined ? { startupCpuMs: report.startup.cpuMs } : {}),
        ...(typeof report.askP50Ms === 'number' ? { askP50Ms: report.askP50Ms } : {}),
        ...(typeof report.askP95Ms === 'number' ? { askP95Ms: report.askP95Ms } : {}),
      });
    });
  });
}

export interface VariantSummary {
  label: string;
  runs: number;
  firstAnswerMs: { median: number; min: number; max: number; samples: number[] };
  startupPeakRssMB?: { median: number; min: number; max: number };
  servingPeakRssMB?: { median: number; min: number; max: number };
  startupCpuMs?: { median: number; min: number; max: number };
  /** Medians over the runs of each run's warm p50 and p95. */
  askP50Ms?: { median: number; min: number; max: number };
  askP95Ms?: { median: number; min: number; max: number };
}

export function spread(samples: number[]): { median: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), min: sorted[0] as number, max: sorted.at(-1) as number };
}

/** Every variant `runs` times, round-robin, the order rotating each round. */
export async function compareColdStarts(variants: Variant[], workdir: string, runs: number, onRun?: (label: string, run: ColdRun) => void): Promise<VariantSummary[]> {
  const results = new Map<string, ColdRun[]>(variants.map((v) => [v.label, []]));
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length] as Variant;
      const run = await coldStart(variant, workdir);
      results.get(variant.label)?.push(run);
      onRun?.(variant.label, run);
    }
  }
  return variants.map((variant) => {
    const list = results.get(variant.label) ?? [];
    const first = list.map((r) => r.firstAnswerMs);
    const summary: VariantSummary = { label: variant.label, runs: list.length, firstAnswerMs: { ...spread(first), samples: first.map((ms) => Math.round(ms)) } };
    // Figures only the serving probe reports: summarised where the runs have them.
    for (const key of ['startupPeakRssMB', 'servingPeakRssMB', 'startupCpuMs', 'askP50Ms', 'askP95Ms'] as const) {
      const values = list.flatMap((r) => (r[key] === undefined ? [] : [r[key]]));
      if (values.length > 0) summary[key] = spread(values);
    }
    return summary;
  });
}

export function variantsFor(checkouts: { name: string; dir: string; workdir?: string }[], modes: Mode[], kinds: Kind[]): Variant[] {
  const variants: Variant[] = [];
  for (const { name, dir, workdir } of checkouts) {
    for (const kind of kinds) {
      for (const mode of modes) variants.push({ label: `${name}:${kind}:${mode}`, checkout: dir, mode, kind, ...(workdir ? { workdir } : {}) });
    }
  }
  return variants;
}

function formatTable(summaries: VariantSummary[]): string {
  const f = (n: number | undefined, digits = 0): string => (n === undefined ? '–' : n.toFixed(digits));
  const lines = [
    '| variant | runs | first answer median ms (min–max) | CPU ms to first answer, all threads (median) | start-up peak RSS MB | serving peak RSS MB median (min–max) | warm ask p50 / p95 ms while serving (medians) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const s of summaries) {
    lines.push(
      `| ${s.label} | ${String(s.runs)} | ${f(s.firstAnswerMs.median)} (${f(s.firstAnswerMs.min)}–${f(s.firstAnswerMs.max)}) | ${f(s.startupCpuMs?.median)} | ${f(s.startupPeakRssMB?.median)} | ${f(s.servingPeakRssMB?.median)} (${f(s.servingPeakRssMB?.min)}–${f(s.servingPeakRssMB?.max)}) | ${f(s.askP50Ms?.median, 1)} / ${f(s.askP95Ms?.median, 1)} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const checkouts: { name: string; dir: string; workdir?: string }[] = [];
  const flagVariants: { name: string; flags: string[] }[] = [];
  const program = new Command('startup')
    .description('Process start to first answer, side by side, interleaved')
    .requiredOption('--workdir <dir>', 'work folder with corpus/, index/ and questions.json')
    .option('--runs <n>', 'runs per variant', count, 5)
    .option('--modes <list>', 'compiled,tsx', 'compiled,tsx')
    .option('--kinds <list>', 'serve (open + first answer + 99 more, with peak RSS), cli (npm run ask)', 'serve,cli')
    .option('--checkout <name=dir[,workdir]>', 'also measure another checkout (built with npm run build), optionally on a work folder of its own; repeatable', (value: string) => {
      const [named, workdir] = value.split(',');
      checkouts.push({ ...namedDir(named ?? ''), ...(workdir ? { workdir: path.resolve(workdir) } : {}) });
    })
    .option('--node-flags <name=flags>', "also this checkout's compiled code with these node flags, e.g. semi32='--max-semi-space-size=32'; repeatable", (value: string) => {
      const at = value.indexOf('=');
      if (at < 1) throw new InvalidArgumentError('expected name=flags');
      flagVariants.push({ name: value.slice(0, at), flags: value.slice(at + 1).split(/\s+/u).filter(Boolean) });
    })
    .option('--no-this', 'leave out this checkout')
    .option('--out <file>', 'write the JSON result here')
    .action(async (flags: { workdir: string; runs: number; modes: string; kinds: string; this: boolean; out?: string }) => {
      const all = [...(flags.this ? [{ name: 'this', dir: THIS_CHECKOUT }] : []), ...checkouts];
      for (const { name, dir } of all) {
        if (flags.modes.includes('compiled') && !existsSync(path.join(dir, 'dist/src/cli.js'))) throw new Error(`${name}: no dist/ in ${dir}; run npm run build there`);
      }
      const kinds = flags.kinds.split(',') as Kind[];
      const variants = variantsFor(all, flags.modes.split(',') as Mode[], kinds);
      for (const { name, flags: nodeFlags } of flagVariants) {
        for (const kind of kinds) variants.push({ label: `${name}:${kind}:compiled`, checkout: THIS_CHECKOUT, mode: 'compiled', kind, nodeFlags });
      }
      const load = loadavg();
      const summaries = await compareColdStarts(variants, path.resolve(flags.workdir), flags.runs, (label, run) =>
        process.stderr.write(`${label}: ${run.firstAnswerMs.toFixed(0)} ms${run.servingPeakRssMB ? `, peak RSS ${run.servingPeakRssMB.toFixed(0)} MB` : ''}\n`),
      );
      const result = { workdir: flags.workdir, loadAverageAtStart: load, loadAverageAtEnd: loadavg(), summaries };
      if (flags.out) writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`);
      process.stdout.write(`${formatTable(summaries)}\nload average at start ${load.map((n) => n.toFixed(2)).join(' ')}, at end ${loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);
    });
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
}
