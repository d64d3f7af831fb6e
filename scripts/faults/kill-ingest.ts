/**
 * Kill -9 during ingest, at random points, many times (every third round inside the write
 * phase, just after the new generation folder appears). Each round starts `witness ingest`
 * (alternately `--rebuild`, and a plain incremental ingest after a corpus change) on a private
 * copy of the corpus, SIGKILLs it after a random delay, then checks what the next start would
 * load: the last complete index (every file checksummed against its manifest, the passage
 * count one of the complete builds made) or no index yet. Every few rounds, and at the end,
 * a real `witness ask` must start and answer: no crash loop.
 *
 *   npx tsx scripts/faults/kill-ingest.ts [rounds=40] [seed=1]
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadIndex } from '../../src/store/index-store.js';
import { seededRandom } from '../bench/measure.js';

const MODEL = 'Xenova/e5-small-v2';
const CLI = ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/cli.ts')];
/** The document changed before each incremental round. */
export const CHANGED_DOCUMENT = '003_4bbc032d74fe67a6.txt';
/** The document that answers the question of the `ask` check. */
export const ASKED_DOCUMENT = '002_7164e3e001d81504.txt';

export interface KillLoopOptions {
  /** Copy only these files of `corpus/` (CHANGED_DOCUMENT and ASKED_DOCUMENT are always copied); default all. */
  documents?: string[];
  /** Run the `ask` check every this many rounds (and always after the last); default 10. */
  askEvery?: number;
  /** Every this many rounds, the kill lands 0–60 ms after the new generation folder appears; default 3. */
  inWriteEvery?: number;
  /**
   * Keep the uninterrupted first build as the starting index, so every kill must leave the last
   * complete index in place (by default the loop starts with no index, so early kills leave none).
   */
  startWithIndex?: boolean;
}

export interface KillReport {
  rounds: number;
  /** Rounds whose process was killed before it exited on its own. */
  killed: number;
  /** Kills that landed after the new generation folder was created, i.e. while index files were being written. */
  killedWhileWriting: number;
  /** Most generation folders seen on disk after a round (a killed write leaves one until the next build). */
  maxGenerationFolders: number;
  /** Rounds that finished before the kill landed. */
  finished: number;
  /** After a kill: the previous complete index was served. */
  servedComplete: number;
  /** After a kill before any build completed: no index yet (the next start rebuilds). */
  noIndexYet: number;
  /** Anything else: a half-written or inconsistent index would have been served. */
  failures: string[];
  askChecks: number;
  fullRunSeconds: number;
  delaysMs: number[];
}

/** When to kill: after a delay, or a delay after a new generation folder appears (inside the write phase). */
type KillAt = { afterMs: number } | { afterNewGenerationMs: number } | null;

function generations(indexDir: string): string[] {
  try {
    return readdirSync(indexDir).filter((name) => name.startsWith('gen-'));
  } catch {
    return [];
  }
}

function runIngest(corpusDir: string, indexDir: string, rebuild: boolean, killAt: KillAt): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const args = [...CLI, 'ingest', '--corpus', corpusDir, '--index', indexDir, ...(rebuild ? ['--rebuild'] : [])];
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: 'ignore', env: { ...process.env, WITNESS_LOG_LEVEL: 'silent' } });
    let killed = false;
    const kill = (): void => {
      if (child.exitCode === null) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    let timer: NodeJS.Timeout | null = null;
    let watcher: NodeJS.Timeout | null = null;
    if (killAt && 'afterMs' in killAt) timer = setTimeout(kill, killAt.afterMs);
    if (killAt && 'afterNewGenerationMs' in killAt) {
      const before = new Set(generations(indexDir));
      watcher = setInterval(() => {
        if (generations(indexDir).some((name) => !before.has(name))) {
          if (watcher) clearInterval(watcher);
          timer = setTimeout(kill, killAt.afterNewGenerationMs);
        }
      }, 2);
    }
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      if (watcher) clearInterval(watcher);
      resolve({ killed, code });
    });
  });
}

function askWorks(corpusDir: string, indexDir: string): string | null {
  const result = spawnSync(process.execPath, [...CLI, 'ask', '--json', '--corpus', corpusDir, '--index', indexDir, 'Who published the photos of torture in Mosul?'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, WITNESS_LOG_LEVEL: 'silent' },
    timeout: 180_000,
  });
  if (result.status !== 0) return `ask exited ${String(result.status)}: ${result.stderr.slice(-300)}`;
  const answer = JSON.parse(result.stdout) as { answered: boolean; results: unknown[] };
  return answer.answered && answer.results.length > 0 ? null : 'ask did not answer';
}

export async function killIngestLoop(rounds: number, seed = 1, log: (line: string) => void = () => undefined, options: KillLoopOptions = {}): Promise<KillReport> {
  const random = seededRandom(seed);
  const askEvery = options.askEvery ?? 10;
  const inWriteEvery = options.inWriteEvery ?? 3;
  const root = mkdtempSync(path.join(tmpdir(), 'witness-kill-'));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  if (options.documents) {
    mkdirSync(corpusDir);
    for (const name of new Set([...options.documents, CHANGED_DOCUMENT, ASKED_DOCUMENT])) cpSync(path.join(PROJECT_ROOT, 'corpus', name), path.join(corpusDir, name));
  } else {
    cpSync(path.join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
  }
  const report: KillReport = { rounds, killedWhileWriting: 0, maxGenerationFolders: 0, killed: 0, finished: 0, servedComplete: 0, noIndexYet: 0, failures: [], askChecks: 0, fullRunSeconds: 0, delaysMs: [] };
  try {
    // How long an uninterrupted rebuild takes here: the kills are spread over it.
    const probeIndex = options.startWithIndex ? indexDir : path.join(root, 'probe-index');
    const started = performance.now();
    await runIngest(corpusDir, probeIndex, true, null);
    report.fullRunSeconds = (performance.now() - started) / 1000;
    const probe = await loadIndex(probeIndex, { modelId: MODEL });
    if (!probe.ok) throw new Error(`an uninterrupted ingest did not produce an index: ${probe.reason}`);
    // Passage counts of every complete build so far: a served index must be one of them.
    const completeCounts = new Set([probe.index.manifest.chunkCount]);
    let expectedNext = probe.index.manifest.chunkCount;
    if (!options.startWithIndex) rmSync(probeIndex, { recursive: true, force: true });

    const lastRunMs = new Map<boolean, number>();
    for (let round = 0; round < rounds; round++) {
      const rebuild = round % 2 === 0;
      if (!rebuild) {
        // A changed document, so the incremental ingest has real work (and a new generation) to do.
        appendFileSync(path.join(corpusDir, CHANGED_DOCUMENT), `\n\nAddendum ${String(round)}: the committee met again to review the witness statements from the old city.\n`);
        expectedNext++;
      }
      // Every third round (by default) is killed inside the write phase: 0–60 ms after its new generation folder
      // appears. The others anywhere in the run, spread over how long the last uninterrupted run of
      // this kind took (half of them in its last quarter).
      const inWrite = round % inWriteEvery === inWriteEvery - 1;
      const fraction = random() < 0.5 ? random() : 0.75 + random() * 0.25;
      const delay = inWrite ? Math.round(random() * 60) : Math.round(fraction * (lastRunMs.get(rebuild) ?? report.fullRunSeconds * 1000));
      report.delaysMs.push(delay);
      const roundStarted = performance.now();
      const { killed } = await runIngest(corpusDir, indexDir, rebuild, inWrite ? { afterNewGenerationMs: delay } : { afterMs: delay });
      if (inWrite && killed) report.killedWhileWriting++;
      if (!killed) lastRunMs.set(rebuild, performance.now() - roundStarted);
      if (killed) report.killed++;
      else report.finished++;
      if (!killed) completeCounts.add(expectedNext);
      const loaded = await loadIndex(indexDir, { modelId: MODEL });
      if (loaded.ok) {
        const count = loaded.index.manifest.chunkCount;
        if (!completeCounts.has(count) && count !== expectedNext) report.failures.push(`round ${String(round)}: served an index of ${String(count)} passages, not one a complete build made`);
        else report.servedComplete++;
        // A build that completed but was killed before the process exited is complete too.
        completeCounts.add(count);
      } else if (loaded.reason.startsWith('no index')) {
        if (options.startWithIndex || completeCounts.size > 1 || report.finished > 0) report.failures.push(`round ${String(round)}: a complete index existed but none was served`);
        else report.noIndexYet++;
      } else {
        report.failures.push(`round ${String(round)}: ${loaded.reason}`);
      }
      const generationCount = existsSync(indexDir) ? generations(indexDir).length : 0;
      report.maxGenerationFolders = Math.max(report.maxGenerationFolders, generationCount);
      log(`round ${String(round + 1)}/${String(rounds)}: ${rebuild ? 'rebuild' : 'incremental'}, kill ${String(delay)} ms after ${inWrite ? 'the new generation folder appeared' : 'start'} -> ${killed ? 'killed' : 'finished first'}; load: ${loaded.ok ? `complete index (${String(loaded.index.manifest.chunkCount)} passages)` : loaded.reason}; ${String(generationCount)} generation folder(s) on disk`);
      if ((round + 1) % askEvery === 0 || round === rounds - 1) {
        const problem = askWorks(corpusDir, indexDir);
        report.askChecks++;
        if (problem) report.failures.push(`round ${String(round)}: ${problem}`);
        log(`  ask after round ${String(round + 1)}: ${problem ?? 'answered'}`);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return report;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rounds = Number(process.argv[2] ?? 40);
  const seed = Number(process.argv[3] ?? 1);
  const report = await killIngestLoop(rounds, seed, (line) => process.stderr.write(`${line}\n`));
  const { delaysMs, ...summary } = report;
  console.log(JSON.stringify({ ...summary, delayMs: { min: Math.min(...delaysMs), max: Math.max(...delaysMs) } }, null, 2));
  if (report.failures.length > 0) process.exitCode = 1;
}
