// The extraction fuzz run (issue 20): documents mutated from the format fixtures (PDF, printed
// web pages, scans read by OCR, web pages, Word files, text), each read with the limits on.
// Every file must be read or refused with a one-line reason, in time; none may crash the reader.
//
//   npx tsx scripts/fuzz/extract-fuzz.ts [--count 10000] [--seed 1] [--scans 0.005] [--json FILE]
//
// --scans is the share of files taken from the scanned PDFs (OCR takes seconds a page).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { CHECKOUT_ROOT } from '../../src/config.js';
import { extractDocument } from '../../src/extract/extract-document.js';
import { DEFAULT_EXTRACT_LIMITS } from '../../src/extract/types.js';
import { mutate, random } from './mutate.js';

const program = new Command()
  .option('--count <n>', 'files to read', (v: string) => Number(v), 10_000)
  .option('--seed <n>', 'seed', (v: string) => Number(v), 1)
  .option('--scans <share>', 'share of files mutated from scans', (v: string) => Number(v), 0.005)
  .option('--seconds <n>', 'extraction time limit per file', (v: string) => Number(v), 20)
  .option('--json <file>', 'also write the report here');
program.parse();
const options = program.opts<{ count: number; seed: number; scans: number; seconds: number; json?: string }>();

const FORMATS = path.join(CHECKOUT_ROOT, 'test', 'fixtures', 'formats');
const pick = (folder: string): string[] => readdirSync(path.join(FORMATS, folder)).filter((f) => !f.endsWith('.md')).map((f) => path.join(FORMATS, folder, f));
const sources = ['pdf', 'webpdf', 'chromepdf', 'notes', 'html', 'docx'].flatMap(pick).concat(pick('bad').filter((f) => !f.includes('zip-bomb')), readdirSync(path.join(CHECKOUT_ROOT, 'corpus')).filter((f) => f.endsWith('.txt')).map((f) => path.join(CHECKOUT_ROOT, 'corpus', f)));
const scans = pick('scan');
const next = random(options.seed);
// A scan may take its OCR time on top of the file's limit: at most 2 pages of 5 s each here.
const limits = { ...DEFAULT_EXTRACT_LIMITS, maxSeconds: options.seconds, maxPages: 200, maxFileBytes: 20 * 1024 * 1024, ocrMaxPages: 2, ocrPageSeconds: 5 };

const outcomes = { read: 0, refused: 0, crashed: 0, overTime: 0, multiLineReason: 0 };
const reasons = new Map<string, number>();
const crashes: string[] = [];
let slowest = 0;
let peakRss = process.memoryUsage().rss;
const started = performance.now();
for (let i = 0; i < options.count; i++) {
  const fromScan = next() < options.scans;
  const list = fromScan ? scans : sources;
  const source = list[Math.floor(next() * list.length)] as string;
  const { bytes, mutation } = mutate(readFileSync(source), next);
  const t = performance.now();
  try {
    const result = await extractDocument(bytes, path.basename(source), limits);
    if (result.ok) outcomes.read++;
    else {
      outcomes.refused++;
      if (/\n/u.test(result.reason)) outcomes.multiLineReason++;
      const kind = result.reason.replace(/\d+/gu, 'N').replace(/\(.*\)/gu, '(…)').slice(0, 90);
      reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
    }
  } catch (error) {
    outcomes.crashed++;
    if (crashes.length < 20) crashes.push(`${path.basename(source)} ${mutation}: ${(error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error)}`);
  }
  const seconds = (performance.now() - t) / 1000;
  slowest = Math.max(slowest, seconds);
  if (seconds > options.seconds + (fromScan ? limits.ocrMaxPages * limits.ocrPageSeconds : 0) + 2) outcomes.overTime++;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if ((i + 1) % 500 === 0) console.error(`${String(i + 1)} files, ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
const report = {
  files: options.count,
  seed: options.seed,
  ...outcomes,
  slowestSeconds: Number(slowest.toFixed(1)),
  peakRssMb: Math.round(peakRss / 1024 / 1024),
  totalSeconds: Math.round((performance.now() - started) / 1000),
  reasons: Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 15)),
  crashes,
};
console.log(JSON.stringify(report, null, 2));
if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
process.exit(outcomes.crashed + outcomes.overTime + outcomes.multiLineReason > 0 ? 1 : 0);
