// Turns benchmark result files (npm run bench -- --out FILE) into the tables and chart of BENCHMARKS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Spread, SweepConfig } from './vector-bench.js';

interface Summary {
  p50: number;
  p95: number;
  p99: number;
}
interface Sweep {
  efSearch: number;
  recallAt10: number;
  qps: number;
}
interface Result {
  library: string;
  corpus?: { passages: number; sentences: number; documents: number; words: number | null };
  vectors?: number;
  ingest?: { reusedIndex?: boolean; seconds: number; passagesPerSecond: number; embedding: { textsPerSecond: number; tokensPerSecond: number } };
  reingestUnchanged?: { seconds: number };
  query?: { askMs: Summary; embedQueryMs: Summary };
  startup?: { firstAnswerMs: number; cliAskMs: { median: number; min: number; max: number; samples: number[] }; servingPeakRssMB: number };
  /** null for a library of copies, where recall by id means nothing. */
  hnsw: { buildSeconds: number; exact: { qps: number; msPerQuery: number }; sweep: Sweep[] } | null;
  indexBytes?: number;
  benchPeakRssMB: number;
}

const files = process.argv.slice(2).filter((arg) => arg.endsWith('.json'));
const chartPath = process.argv.find((arg) => arg.endsWith('.svg'));
const parsed = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as Result | VectorSweep);
// Sweeps (scripts/bench/vector-bench.ts) have their own tables, at the end.
const sweeps = parsed.filter((r): r is VectorSweep => (r as Partial<VectorSweep>).kind === 'vector-sweep');
const results = parsed.filter((r): r is Result => (r as Partial<VectorSweep>).kind !== 'vector-sweep');
const size = (r: Result): number => r.corpus?.passages ?? r.vectors ?? 0;
results.sort((a, b) => size(a) - size(b));
const f = (value: number | null | undefined, digits = 1): string => (value === undefined || value === null || Number.isNaN(value) ? '–' : value.toFixed(digits));

const libraries = results.filter((r) => r.corpus);
const lines: string[] = [];
// Files from npm run bench (libraries and the old synthetic mode); sweeps only: just their tables.
if (results.length > 0) {
  lines.push('| library | passages | sentences | ingest s | passages/s (pipeline) | texts/s (embedding) | tokens/s (embedding) | re-ingest unchanged s | ask p50 / p95 / p99 ms | query embed p50 ms | first answer ms | serving peak RSS MB | index MB |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of libraries) {
    lines.push(
      `| ${r.library} | ${String(r.corpus?.passages)} | ${String(r.corpus?.sentences)} | ${f(r.ingest?.seconds)}${r.ingest?.reusedIndex ? ' (update of an existing index)' : ''} | ${r.ingest?.reusedIndex ? '–' : f(r.ingest?.passagesPerSecond)} | ${f(r.ingest?.embedding.textsPerSecond)} | ${f(r.ingest?.embedding.tokensPerSecond, 0)} | ${f(r.reingestUnchanged?.seconds, 2)} | ${f(r.query?.askMs.p50)} / ${f(r.query?.askMs.p95)} / ${f(r.query?.askMs.p99)} | ${f(r.query?.embedQueryMs.p50)} | ${f(r.startup?.firstAnswerMs, 0)} | ${f(r.startup?.servingPeakRssMB, 0)} | ${f((r.indexBytes ?? 0) / 2 ** 20)} |`,
    );
  }
  lines.push('');
  const withHnsw = results.filter((r): r is Result & { hnsw: NonNullable<Result['hnsw']> } => r.hnsw !== null);
  lines.push('| vectors | build s | exact ms/query | ' + (withHnsw[0]?.hnsw.sweep.map((s) => `ef ${String(s.efSearch)}: recall@10 / QPS`).join(' | ') ?? '') + ' | bench peak RSS MB |');
  lines.push('|---|---|---|' + (withHnsw[0]?.hnsw.sweep.map(() => '---').join('|') ?? '') + '|---|');
  for (const r of withHnsw) {
    lines.push(`| ${String(size(r))} (${r.library}) | ${f(r.hnsw.buildSeconds, 2)} | ${f(r.hnsw.exact.msPerQuery, 2)} | ${r.hnsw.sweep.map((s) => `${s.recallAt10.toFixed(3)} / ${s.qps.toFixed(0)}`).join(' | ')} | ${f(r.benchPeakRssMB, 0)} |`);
  }
}
for (const sweep of sweeps) lines.push(...(lines.length > 0 ? [''] : []), ...sweepTables(sweep));
process.stdout.write(`${lines.join('\n')}\n`);

if (chartPath) {
  // Two panels against library size (log scale): warm ask latency, and peak memory while serving.
  const width = 760;
  const height = 300;
  const pad = { left: 60, right: 20, top: 30, bottom: 45 };
  const panel = (x0: number, title: string, unit: string, series: { name: string; colour: string; points: [number, number][] }[]): string => {
    const pw = (width - 40) / 2 - pad.left - pad.right;
    const ph = height - pad.top - pad.bottom;
    const xs = series.flatMap((s) => s.points.map((p) => p[0]));
    const ys = series.flatMap((s) => s.points.map((p) => p[1]));
    const minX = Math.log10(Math.min(...xs));
    const maxX = Math.log10(Math.max(...xs)) + 1e-9;
    const maxY = Math.max(...ys) * 1.15 || 1;
    const px = (x: number): number => x0 + pad.left + ((Math.log10(x) - minX) / Math.max(maxX - minX, 1e-9)) * pw;
    const py = (y: number): number => pad.top + ph - (y / maxY) * ph;
    const parts = [`<text x="${String(x0 + pad.left)}" y="18" font-size="13" font-weight="bold">${title}</text>`];
    parts.push(`<line x1="${String(x0 + pad.left)}" y1="${String(pad.top + ph)}" x2="${String(x0 + pad.left + pw)}" y2="${String(pad.top + ph)}" stroke="#444"/>`);
    parts.push(`<line x1="${String(x0 + pad.left)}" y1="${String(pad.top)}" x2="${String(x0 + pad.left)}" y2="${String(pad.top + ph)}" stroke="#444"/>`);
    for (let i = 0; i <= 4; i++) {
      const y = (maxY * i) / 4;
      parts.push(`<text x="${String(x0 + pad.left - 6)}" y="${String(py(y) + 4)}" font-size="10" text-anchor="end">${y.toFixed(y < 10 ? 1 : 0)}</text>`);
    }
    for (const x of [...new Set(xs)]) parts.push(`<text x="${String(px(x))}" y="${String(pad.top + ph + 14)}" font-size="10" text-anchor="middle">${x >= 1000 ? `${String(Math.round(x / 1000))}k` : String(x)}</text>`);
    parts.push(`<text x="${String(x0 + pad.left + pw / 2)}" y="${String(height - 8)}" font-size="11" text-anchor="middle">passages in the library (log scale)</text>`);
    parts.push(`<text x="${String(x0 + 14)}" y="${String(pad.top + ph / 2)}" font-size="11" text-anchor="middle" transform="rotate(-90 ${String(x0 + 14)} ${String(pad.top + ph / 2)})">${unit}</text>`);
    series.forEach((s, i) => {
      const points = [...s.points].sort((a, b) => a[0] - b[0]);
      parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
      for (const [x, y] of points) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.colour}"/>`);
      parts.push(`<text x="${String(x0 + pad.left + 8)}" y="${String(pad.top + 12 + i * 13)}" font-size="10" fill="${s.colour}">${s.name}</text>`);
    });
    return parts.join('\n');
  };
  const withQuery = libraries.filter((r) => r.query);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(width)}" height="${String(height)}" font-family="sans-serif">`,
    '<rect width="100%" height="100%" fill="white"/>',
    panel(0, 'Warm /ask latency', 'milliseconds', [
      { name: 'p50', colour: '#1f77b4', points: withQuery.map((r) => [size(r), r.query?.askMs.p50 ?? 0]) },
      { name: 'p95', colour: '#d62728', points: withQuery.map((r) => [size(r), r.query?.askMs.p95 ?? 0]) },
    ]),
    panel((width - 40) / 2 + 40, 'Peak memory while serving', 'MB (max RSS)', [
      { name: 'serving process', colour: '#2ca02c', points: withQuery.map((r) => [size(r), r.startup?.servingPeakRssMB ?? 0]) },
    ]),
    '</svg>',
  ].join('\n');
  writeFileSync(chartPath, `${svg}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), chartPath)}\n`);
}

// ------------------------------------------------------------------ vector sweeps

interface VectorSweep {
  kind: 'vector-sweep';
  library: string;
  vectors: number;
  queries: number;
  k?: number;
  repeats: number;
  blockSize?: number;
  machine: { loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  exact: { jsMsPerQuery: number; faiss: Record<string, { qpsBatch: number; qpsSingle?: number }> | null };
  callMicroseconds?: Record<string, Spread>;
  configs: SweepConfig[];
  complete: boolean;
  wallSeconds: number;
}

// Function declarations (hoisted): the tables above call sweepTables before this point is reached.
function qps(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toFixed(0);
}
function ratio(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(2)}×`;
}
function withSpread(s: Spread | undefined): string {
  return s ? `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})` : '–';
}
function ratioSpread(s: Spread | undefined): string {
  return s ? `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : '–';
}

/** Markdown tables for one sweep: builds and memory, QPS at equal recall, and the full ef sweep of each configuration. */
function sweepTables(sweep: VectorSweep): string[] {
  const out: string[] = [];
  const variantNames = [...new Set(sweep.configs.flatMap((c) => c.sweep.flatMap((p) => Object.keys(p.variants ?? {}))))];
  const hasFaiss = sweep.configs.some((c) => c.faiss);
  out.push(
    `**${sweep.library}**: ${sweep.vectors.toLocaleString('en-US')} vectors, ${sweep.queries.toLocaleString('en-US')} queries, ${String(sweep.repeats)} timed passes per setting; ` +
      `load average ${sweep.machine.loadAverageAtStart.join(' / ')} at the start, ${sweep.machine.loadAverageAtEnd.join(' / ')} at the end; ${(sweep.wallSeconds / 60).toFixed(0)} min` +
      (sweep.complete ? '' : ' (incomplete: the run stopped early)'),
  );
  const exactFaiss = sweep.exact.faiss?.['1'];
  out.push('');
  out.push(
    `Exact top 10: JavaScript scan ${sweep.exact.jsMsPerQuery.toFixed(1)} ms/query` +
      (exactFaiss ? `; FAISS IndexFlatIP ${qps(exactFaiss.qpsSingle)} QPS one query per call, ${qps(exactFaiss.qpsBatch)} QPS batched (1 thread)` : '') +
      (sweep.exact.faiss?.['2'] ? `, ${qps(sweep.exact.faiss['2'].qpsBatch)} QPS batched (2 threads)` : '') +
      '.',
  );
  if (sweep.callMicroseconds) {
    out.push('');
    out.push(
      `Cost of one search call on a 64-vector index (k 10, ef 10), µs, median of 3 rounds: ${Object.entries(sweep.callMicroseconds)
        .map(([name, s]) => `${name === 'hnswlib' ? 'hnswlib-node' : name === 'faiss' ? 'FAISS' : `hnswlib-node ${name}`} ${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`)
        .join(', ')}.`,
    );
  }
  out.push('');
  out.push('| M | efConstruction | hnswlib-node build s (CPU s) | FAISS build s (CPU s), threads | hnswlib-node B/vector (file / RSS) | FAISS B/vector (serialised) |');
  out.push('|---|---|---|---|---|---|');
  for (const c of sweep.configs) {
    out.push(
      `| ${String(c.m)} | ${String(c.efConstruction)} | ${f(c.hnswlib.buildSeconds)} (${f(c.hnswlib.buildCpuSeconds)})${c.hnswlib.reused || c.faiss?.reused ? ' (earlier run)' : ''} | ` +
        `${c.faiss ? `${f(c.faiss.buildSeconds)} (${f(c.faiss.buildCpuSeconds)}), ${String(c.faiss.buildThreads)}` : '–'} | ` +
        `${f(c.hnswlib.bytesPerVectorFile, 0)} / ${f(c.hnswlib.bytesPerVectorRss, 0)} | ${f(c.faiss?.bytesPerVector, 0)} |`,
    );
  }
  out.push('');
  const variantHeads = variantNames.map((name) => ` hnswlib-node ${name} QPS (÷ FAISS) |`).join('');
  out.push(
    `| M / efC | recall@10 | hnswlib-node ef, QPS |${variantHeads}${hasFaiss ? ' FAISS ef, QPS | ratio (1 thread) | 2 threads: hnswlib-node / FAISS QPS | ratio (2 threads) | FAISS batch, 1 thread |' : ''}`,
  );
  out.push(`|---|---|---|${variantNames.map(() => '---|').join('')}${hasFaiss ? '---|---|---|---|---|' : ''}`);
  for (const c of sweep.configs) {
    for (const a of c.atRecall) {
      const variants = variantNames.map((name) => ` ${qps(a.variants?.[name]?.qps)} (${ratio(a.variants?.[name]?.ratio)}) |`).join('');
      out.push(
        `| ${String(c.m)} / ${String(c.efConstruction)} | ${a.target.toFixed(3)} | ≤${String(a.hnswlib.firstEf ?? '–')}, ${qps(a.hnswlib.qps)} |${variants}` +
          (a.faiss
            ? ` ≤${String(a.faiss.firstEf ?? '–')}, ${qps(a.faiss.qps)} | **${ratio(a.ratio)}** | ${qps(a.hnswlib.qpsTwoThreads)} / ${qps(a.faiss.qpsTwoThreads)} | ${ratio(a.ratioTwoThreads)} | ${qps(a.faiss.qpsBatchOneThread)} |`
            : ''),
      );
    }
  }
  const k = sweep.k ?? 10;
  const atK = k > 10;
  for (const c of sweep.configs) {
    out.push('');
    out.push(
      `M ${String(c.m)}, efConstruction ${String(c.efConstruction)}: QPS median (min–max) over ${String(sweep.repeats)} passes, one query per call, 1 thread unless marked; ` +
        'ratio: hnswlib-node / FAISS within each pass, median (min–max)',
    );
    out.push('');
    const kHead = atK ? ` recall@${String(k)} |` : '';
    const faissHead = hasFaiss ? ` FAISS recall@10 |${kHead} FAISS QPS | FAISS batch 1 thread | FAISS batch 2 threads | ratio, 1 thread | ratio, 2 threads |` : '';
    out.push(`| ef | hnswlib-node recall@10 |${kHead} hnswlib-node QPS |${variantNames.map((name) => ` ${name} QPS |`).join('')} hnswlib-node 2 threads |${faissHead}`);
    const columns = 4 + (atK ? 1 : 0) + variantNames.length + (hasFaiss ? 6 + (atK ? 1 : 0) : 0);
    out.push(`|${'---|'.repeat(columns)}`);
    const kCell = (value: number | undefined): string => (atK ? ` ${value === undefined ? '–' : value.toFixed(4)} |` : '');
    for (const p of c.sweep) {
      out.push(
        `| ${String(p.efSearch)} | ${p.hnswlib.recallAt10.toFixed(4)} |${kCell(p.hnswlib.recallAtK)} ${withSpread(p.hnswlib.single)} |${variantNames.map((name) => ` ${withSpread(p.variants?.[name]?.single)} |`).join('')} ${withSpread(p.hnswlib.twoThreads)} |` +
          (p.faiss
            ? ` ${p.faiss.recallAt10.toFixed(4)} |${kCell(p.faiss.recallAtK)} ${withSpread(p.faiss.single)} | ${withSpread(p.faiss.batchOneThread)} | ${withSpread(p.faiss.batchTwoThreads)} | ` +
              `${p.pairedRatio ? ratioSpread(p.pairedRatio) : ratio(p.hnswlib.single.median / p.faiss.single.median)} | ${ratioSpread(p.pairedRatioTwoThreads)} |`
            : ''),
      );
    }
  }
  return out;
}
