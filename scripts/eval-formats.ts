// The same questions on the same articles in each format, side by side: the sample library as
// .txt (corpus/) and as PDF, web page and Word file (test/fixtures/formats/), each indexed from
// scratch with the default model, then qa-dev (or --set) run through the shipped hybrid ranking.
//
//   npx tsx scripts/eval-formats.ts [--set eval/qa-dev.jsonl] [--work /tmp/witness-formats]
//
// A format more than one question below .txt is a bug in its extraction (issue 11).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { CHECKOUT_ROOT, loadCoreConfig } from '../src/config.js';
import { embedderOptions, loadEmbedder } from '../src/embed/embedder.js';
import { readEvalSet } from '../src/eval/eval-set.js';
import { runEval } from '../src/eval/run-eval.js';
import { updateIndex } from '../src/ingest/update-index.js';
import { createLogger } from '../src/log.js';
import { Answerer } from '../src/search/ask.js';
import { openEmbedded } from '../src/store/embedded-store.js';

const program = new Command()
  .option('--set <file>', 'question set', path.join(CHECKOUT_ROOT, 'eval', 'qa-dev.jsonl'))
  .option('--work <dir>', 'where the indexes are built (emptied first)', '/tmp/witness-formats')
  .parse();
const flags = program.opts<{ set: string; work: string }>();

const libraries = [
  ['.txt', path.join(CHECKOUT_ROOT, 'corpus')],
  ['PDF', path.join(CHECKOUT_ROOT, 'test', 'fixtures', 'formats', 'pdf')],
  ['HTML', path.join(CHECKOUT_ROOT, 'test', 'fixtures', 'formats', 'html')],
  ['DOCX', path.join(CHECKOUT_ROOT, 'test', 'fixtures', 'formats', 'docx')],
  // The web pages printed to PDF with their site chrome (scripts/fixtures/make-web-pdfs.ts).
  ['web page as PDF', path.join(CHECKOUT_ROOT, 'test', 'fixtures', 'formats', 'webpdf')],
  // The same pages printed by Chromium, with its date, title, address and page header and footer (scripts/fixtures/make-chromium-pdfs.ts).
  ['web page as PDF (Chromium)', path.join(CHECKOUT_ROOT, 'test', 'fixtures', 'formats', 'chromepdf')],
  // The PDFs scanned at 150 dpi, no text layer: read by OCR (scripts/fixtures/make-scan.ts).
  ['scanned PDF (OCR)', path.join(CHECKOUT_ROOT, 'test', 'fixtures', 'formats', 'scan')],
  // The same at 300 dpi, the archives' usual resolution (make-scan.ts --dpi 300).
  ['scanned PDF at 300 dpi (OCR)', path.join(CHECKOUT_ROOT, 'test', 'fixtures', 'formats', 'scan300')],
] as const;

const config = loadCoreConfig();
const embedder = await loadEmbedder(embedderOptions(config));
const logger = createLogger('error');
const questions = await readEvalSet(flags.set);
const rows: string[] = [];
for (const [label, corpusDir] of libraries) {
  const indexDir = path.join(flags.work, label.replace(/[^A-Za-z]+/gu, '-'));
  rmSync(indexDir, { recursive: true, force: true });
  const started = performance.now();
  const { index, report } = await updateIndex({ corpusDir, indexDir, maxFileBytes: config.maxFileBytes, embedder, logger });
  const ingestSeconds = (performance.now() - started) / 1000;
  const { library, store } = openEmbedded(index);
  const answerer = new Answerer(library, store, embedder, { minSimilarity: config.minScore ?? embedder.profile.minSimilarity });
  // OCR may misread a letter of a gold quote: its place is then the nearest run of words (run-eval.ts).
  const m = await runEval(answerer, corpusDir, questions, 'hybrid', 10, { approximateGold: label.startsWith('scanned') });
  const count = (k: number): number => m.outcomes.filter((o) => o.kind !== 'unanswerable' && o.hitRank !== null && o.hitRank <= k).length;
  rows.push(
    `| ${label} | ${String(report.documents)} | ${String(report.passages)} | ${m.hitAt1.toFixed(3)} (${String(count(1))}/${String(m.answerable)}) | ${m.hitAt3.toFixed(3)} (${String(count(3))}/${String(m.answerable)}) | ${m.abstention.toFixed(3)} | ${m.verbatimRate.toFixed(3)} (${String(m.quotesChecked)}) | ${ingestSeconds.toFixed(1)} |`,
  );
}
await embedder.dispose();
console.log(`${path.basename(flags.set)}, model ${config.modelId}, hybrid ranking`);
console.log('| library | documents | passages | hit@1 | hit@3 | abstention | verbatim (quotes) | ingest s |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exit(0);
