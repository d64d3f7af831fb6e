// How the int8 model's ingest work is best spread over the cores: one onnxruntime session with
// one intra-op thread per core (what ingest did), or one single-threaded session per core, each
// embedding its own share of the texts. Each text runs on its own either way (batch
// independence, model-worker.mjs), so the vectors are the same; only the time differs.
//
//   npx tsx scripts/bench/embed-parallel.ts --corpus DIR [--texts 3000] [--json FILE] [--python PY]
//
// --python runs Python onnxruntime on the same texts with the same model file right after
// (ort_peer.py, requirements-ort.txt): one session on every core, batches of 32 and of 1.
//
// The texts are the corpus's lines (paragraphs, cut at 1,500 characters) and their sentences
// (Intl.Segmenter), shuffled with a fixed seed, half of each: a real library's mix of short and
// long texts. --order sessions-first runs the two ways the other way round.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { loadCoreConfig } from '../../src/config.js';
import { embedderOptions, loadEmbedder } from '../../src/embed/embedder.js';
import { profileFor } from '../../src/embed/model-profiles.js';
import { vendoredModel } from '../../src/embed/worker-embedder.js';
import { seededRandom } from './measure.js';

const program = new Command()
  .requiredOption('--corpus <dir>', 'folder of .txt documents')
  .option('--texts <n>', 'sentences and paragraphs to embed (half each)', (v: string) => Number(v), 3000)
  .option('--order <which>', 'one-first or sessions-first', 'one-first')
  .option('--json <file>', 'write the figures here')
  .option('--python <interpreter>', 'also run Python onnxruntime on the same texts (ort_peer.py)');
program.parse();
const options = program.opts<{ corpus: string; texts: number; order: string; json?: string; python?: string }>();

const random = seededRandom(7);
const shuffle = <T>(list: T[]): T[] => list.map((item) => ({ item, key: random() })).sort((a, b) => a.key - b.key).map(({ item }) => item);
const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
const paragraphs: string[] = [];
const sentences: string[] = [];
for (const file of readdirSync(options.corpus).filter((f) => f.endsWith('.txt'))) {
  for (const paragraph of readFileSync(path.join(options.corpus, file), 'utf8').split(/\n/u)) {
    const text = paragraph.replace(/\s+/gu, ' ').trim();
    if (text.split(' ').length < 8) continue;
    paragraphs.push(text.slice(0, 1500));
    for (const { segment } of segmenter.segment(text)) if (segment.trim().split(' ').length >= 4) sentences.push(segment.trim());
  }
}
const texts = [...shuffle(sentences).slice(0, options.texts / 2), ...shuffle(paragraphs).slice(0, options.texts / 2)];

const config = loadCoreConfig({});
const cores = availableParallelism();

async function oneSessionRun(): Promise<{ seconds: number; vectors: Float32Array[]; tokens: number }> {
  const one = await loadEmbedder({ ...embedderOptions(config), threads: cores });
  // embedPassages adds the model's passage prefix; it is counted, and so are [CLS] and [SEP] (encode adds them).
  const tokens = texts.reduce((sum, text) => sum + one.countTokens(one.profile.passagePrefix + text), 0);
  await one.embedPassages(texts.slice(0, 40));
  const started = performance.now();
  const vectors = await one.embedPassages(texts);
  const seconds = (performance.now() - started) / 1000;
  await one.dispose();
  return { seconds, vectors, tokens };
}

// Texts dealt out in length order, so each session gets the same mix.
const order = texts.map((_, i) => i).sort((a, b) => (texts[a] as string).length - (texts[b] as string).length);
async function sessionsRun(): Promise<{ seconds: number; shares: number[][]; parts: Float32Array[][] }> {
  const many = await Promise.all(Array.from({ length: cores }, () => loadEmbedder({ ...embedderOptions(config), threads: 1 })));
  await Promise.all(many.map((embedder) => embedder.embedPassages(texts.slice(0, 40))));
  const shares = many.map((_, s) => order.filter((_, k) => k % many.length === s));
  const started = performance.now();
  const parts = await Promise.all(many.map((embedder, s) => embedder.embedPassages((shares[s] as number[]).map((i) => texts[i] as string))));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(many.map((embedder) => embedder.dispose()));
  return { seconds, shares, parts };
}

const first = options.order === 'sessions-first' ? await sessionsRun() : null;
const { seconds: oneSession, vectors: together, tokens } = await oneSessionRun();
const { seconds: sessions, shares, parts } = first ?? (await sessionsRun());

// The same vectors either way.
let lowest = 1;
shares.forEach((share, s) =>
  share.forEach((i, k) => {
    const a = together[i] as Float32Array;
    const b = (parts[s] as Float32Array[])[k] as Float32Array;
    lowest = Math.min(lowest, a.reduce((sum, v, d) => sum + v * (b[d] as number), 0));
  }),
);

/** Python onnxruntime on the same texts, prefixed as Witness embeds them, with the same model file. */
function pythonPeer(python: string): unknown {
  const work = mkdtempSync(path.join(tmpdir(), 'witness-ort-peer-'));
  try {
    const file = path.join(work, 'texts.json');
    const files = vendoredModel(config.modelDir, config.modelId);
    if (!files) throw new Error(`the model ${config.modelId} is not in ${config.modelDir}`);
    writeFileSync(file, JSON.stringify(texts.map((text) => profileFor(config.modelId).passagePrefix + text)));
    const model = files.modelFile;
    const tokenizer = files.tokenizerFile;
    const script = path.join(import.meta.dirname, 'ort_peer.py');
    const run = spawnSync(python, [script, '--texts', file, '--model', model, '--tokenizer', tokenizer, '--threads', String(cores)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`ort_peer.py failed (${String(run.status)}): ${run.stderr || (run.error?.message ?? '')}`);
    return JSON.parse(run.stdout) as unknown;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const result = {
  texts: texts.length,
  order: options.order,
  tokens,
  cores,
  oneSessionSeconds: +oneSession.toFixed(1),
  oneSessionTokensPerSecond: Math.round(tokens / oneSession),
  sessionsSeconds: +sessions.toFixed(1),
  sessionsTokensPerSecond: Math.round(tokens / sessions),
  speedup: +(oneSession / sessions).toFixed(2),
  lowestCosine: +lowest.toFixed(6),
  pythonOnnxruntime: options.python ? pythonPeer(options.python) : null,
};
console.log(JSON.stringify(result, null, 2));
if (options.json) writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
