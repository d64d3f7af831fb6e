// Extraction speed, side by side with the ingest it is part of: pages per second of reading a
// library of PDFs, and the share of a from-scratch ingest of that library that extraction takes.
//
//   npx tsx scripts/fixtures/make-sotu-pdfs.ts --from /tmp/sotu-txt --to /tmp/sotu-pdf --count 50
//   npx tsx scripts/bench/extraction-speed.ts --corpus /tmp/sotu-pdf --index /tmp/sotu-pdf-index
//
// The corpus is read twice: once file by file, timing extraction alone, then by a full ingest
// (extraction, chunking, embedding, index build) into an emptied index folder.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadCoreConfig } from '../../src/config.js';
import { embedderOptions, loadEmbedder } from '../../src/embed/embedder.js';
import { extractDocument } from '../../src/extract/extract-document.js';
import { DEFAULT_EXTRACT_LIMITS } from '../../src/extract/types.js';
import { updateIndex } from '../../src/ingest/update-index.js';
import { createLogger } from '../../src/log.js';

const program = new Command()
  .requiredOption('--corpus <dir>', 'folder of PDFs (with sidecars)')
  .requiredOption('--index <dir>', 'index folder; emptied first')
  .option('--extract-only', 'skip the ingest')
  .parse();
const flags = program.opts<{ corpus: string; index: string; extractOnly?: boolean }>();

const files = readdirSync(flags.corpus).filter((name) => name.toLowerCase().endsWith('.pdf')).sort();
let pages = 0;
let bytes = 0;
let characters = 0;
const perFile: number[] = [];
const started = performance.now();
for (const name of files) {
  const data = readFileSync(path.join(flags.corpus, name));
  const t0 = performance.now();
  const result = await extractDocument(data, name, { ...DEFAULT_EXTRACT_LIMITS, maxFileBytes: Infinity });
  perFile.push(performance.now() - t0);
  if (!result.ok) throw new Error(`${name}: ${result.reason}`);
  pages += result.extracted.pages?.length ?? 0;
  characters += result.extracted.text.length;
  bytes += data.length;
}
const extractSeconds = (performance.now() - started) / 1000;
const report: Record<string, unknown> = {
  files: files.length,
  pages,
  megabytes: +(bytes / 1048576).toFixed(1),
  characters,
  extractSeconds: +extractSeconds.toFixed(2),
  pagesPerSecond: +(pages / extractSeconds).toFixed(1),
  slowestFileMs: Math.round(Math.max(...perFile)),
};

if (!flags.extractOnly) {
  rmSync(flags.index, { recursive: true, force: true });
  const config = loadCoreConfig({ corpusDir: flags.corpus, indexDir: flags.index });
  const logger = createLogger('error');
  const embedder = loadEmbedder(embedderOptions(config));
  await embedder;
  const t0 = performance.now();
  const { report: ingest } = await updateIndex({ corpusDir: flags.corpus, indexDir: flags.index, maxFileBytes: config.maxFileBytes, embedder, logger });
  const ingestSeconds = (performance.now() - t0) / 1000;
  Object.assign(report, {
    ingestSeconds: +ingestSeconds.toFixed(1),
    passages: ingest.passages,
    textsEmbedded: ingest.textsEmbedded,
    skipped: ingest.skipped.length,
    extractionShareOfIngest: +(extractSeconds / ingestSeconds).toFixed(3),
  });
  await (await embedder).dispose();
}
console.log(JSON.stringify(report, null, 2));
process.exit(0);
