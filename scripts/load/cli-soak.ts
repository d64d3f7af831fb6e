/**
 * Soak: N questions (default 10,000) through one `witness ask --json` process reading stdin,
 * as `npm run ask` does. Samples the process's resident memory as it goes and fails (exit 1)
 * when it grows past the stated bound between the warm-up point and the end, or when any
 * question gets no answer line.
 *
 *   npx tsx scripts/load/cli-soak.ts [questions] [boundMB]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../src/config.js';
import { processMemoryMB } from './rss.js';

const total = Number(process.argv[2] ?? 10_000);
/** Allowed RSS growth from the warm-up sample (after 1,000 questions) to the end. */
const boundMB = Number(process.argv[3] ?? 64);
const warmUp = Math.min(1000, Math.floor(total / 10));

const seeds = ['qa-dev.jsonl', 'qa-extra.jsonl'].flatMap((file) =>
  readFileSync(path.join(PROJECT_ROOT, 'eval', file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { question: string }).question),
);
// Real questions, made distinct so nothing could be served from a cache, plus lines the CLI must refuse.
const hostile = ['???', '@everyone', '\u200b\u200b', '🙂', 'x'.repeat(1200)];
function questionAt(i: number): string {
  if (i % 97 === 0) return hostile[(i / 97) % hostile.length] as string;
  return `${seeds[i % seeds.length] as string} (${String(i)})`;
}

const index = mkdtempSync(path.join(tmpdir(), 'witness-soak-'));
const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/cli.ts'), 'ask', '--json', '--index', index], {
  cwd: PROJECT_ROOT,
  env: { ...process.env, WITNESS_LOG_LEVEL: 'error' },
  stdio: ['pipe', 'pipe', 'pipe'],
});
let stderr = '';
child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

const samples: { done: number; rss: number }[] = [];
let answered = 0;
let abstained = 0;
let refused = 0;
let done = 0;
let started = 0;
const lines = createInterface({ input: child.stdout });
lines.on('line', (line) => {
  const parsed = JSON.parse(line) as { answered: boolean; error?: string };
  if (done === 0) started = performance.now();
  done++;
  if (parsed.error) refused++;
  else if (parsed.answered) answered++;
  else abstained++;
  if (done % 250 === 0 || done === total) {
    const memory = processMemoryMB(child.pid as number);
    if (memory) samples.push({ done, rss: memory.rss });
    if (done % 1000 === 0) process.stderr.write(`${String(done)} questions, RSS ${memory?.rss.toFixed(0) ?? '?'} MB\n`);
  }
});

const wallStart = performance.now();
for (let i = 0; i < total; i++) {
  if (!child.stdin.write(`${questionAt(i)}\n`)) await new Promise((resolve) => child.stdin.once('drain', resolve));
}
child.stdin.end();
const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
const seconds = (performance.now() - wallStart) / 1000;
rmSync(index, { recursive: true, force: true });

const atWarmUp = samples.find((s) => s.done >= warmUp)?.rss ?? Number.NaN;
const end = samples[samples.length - 1]?.rss ?? Number.NaN;
const peak = Math.max(...samples.map((s) => s.rss));
const result = {
  questions: total,
  outputLines: done,
  answered,
  abstained,
  refused,
  exitCode: code,
  seconds: Number(seconds.toFixed(1)),
  questionsPerSecondAfterStart: Number((done / ((performance.now() - started) / 1000)).toFixed(1)),
  rssMB: { afterWarmUp: Math.round(atWarmUp), end: Math.round(end), peakSampled: Math.round(peak), growthAfterWarmUp: Math.round(end - atWarmUp), bound: boundMB },
  samples: samples.filter((s) => s.done % 1000 === 0).map((s) => [s.done, Math.round(s.rss)]),
};
console.log(JSON.stringify(result, null, 2));
const failures: string[] = [];
if (done !== total) failures.push(`${String(total - done)} questions got no output line`);
if (!(end - atWarmUp <= boundMB)) failures.push(`RSS grew ${String(Math.round(end - atWarmUp))} MB after warm-up (bound ${String(boundMB)} MB)`);
// Exit 2 is expected: the hostile lines are refused, the rest answered.
if (code !== 2 && code !== 0) failures.push(`exit code ${String(code)}: ${stderr.slice(-500)}`);
if (failures.length > 0) {
  console.error(`FAIL: ${failures.join('; ')}`);
  process.exitCode = 1;
}
