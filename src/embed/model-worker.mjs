// The embedding model, in a worker thread: Transformers.js and its onnxruntime session live here,
// so loading the model (the longest step of start-up) overlaps with reading the index on the main
// thread, and inference never blocks the main thread's event loop.
//
// Plain JavaScript because a worker cannot run TypeScript under tsx or vitest; the caller is
// src/embed/worker-embedder.ts.
//
// One onnxruntime session on one thread. Questions are one short text: a second thread bought
// nothing for a 25-token question and, while it spun idle afterwards, slowed the BM25 search that
// follows on the main thread. Bulk work (ingest) runs on one such worker per core, each with its
// own batches (worker-embedder.ts): side by side they did 1.4 times the work of one session on
// two threads.
//
// onnxruntime's memory arena stays off: it would keep the largest buffers ever used (an ingest
// batch) for the life of the process.
//
// workerData: { modelId, modelDir, pooling: 'cls' | 'mean' }
// in:  { id, texts: string[] } | { id, items }   out: { id, data: Float32Array, rows, dimension } | { id, error }
// on start: { ready: true, dimension } | { ready: false, error }
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { modelId, modelDir, pooling } = workerData;
const THREADS = 1;

async function load() {
  const { env, pipeline } = await import('@huggingface/transformers');
  // Only the vendored copy is used here: nothing is fetched.
  env.localModelPath = modelDir.endsWith(path.sep) ? modelDir : modelDir + path.sep;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const extractor = await pipeline('feature-extraction', modelId, {
    dtype: 'q8',
    session_options: { interOpNumThreads: 1, intraOpNumThreads: THREADS, enableCpuMemArena: false },
  });

  /**
   * texts → one Float32Array of rows × dimension unit vectors (pooled and normalised by
   * Transformers.js). Each text runs on its own: the int8 graphs quantise activations with one
   * scale per run (DynamicQuantizeLinear), so a text run inside a batch would get a vector that
   * depends on the other texts of the batch (and on its padding).
   */
  async function embed(texts) {
    let data = null;
    let dimension = 0;
    for (const [row, text] of texts.entries()) {
      const output = await extractor([text], { pooling, normalize: true });
      dimension = output.dims[1];
      data ??= new Float32Array(texts.length * dimension);
      // A copy the worker can hand over: the tensor's buffer belongs to onnxruntime.
      data.set(output.data, row * dimension);
      output.dispose();
    }
    return { data: data ?? new Float32Array(0), rows: texts.length, dimension };
  }
  return { embed, extractor };
}

/** Unit vector of the mean of `rows` rows of `width` numbers starting at row `from` of `states`. */
function meanRow(states, width, from, rows, out, at) {
  let norm = 0;
  for (let d = 0; d < width; d++) {
    let sum = 0;
    for (let r = from; r < from + rows; r++) sum += states[r * width + d];
    out[at + d] = sum / rows;
    norm += (sum / rows) ** 2;
  }
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < width; d++) out[at + d] /= norm;
}

/**
 * One model run per passage gives its vector and its sentences' vectors (mean pooling only): a
 * sentence's vector is the mean of its own tokens' states in the passage's run, so it is read in
 * its context ("He told the AP …" knows who "he" is) and costs no run of its own. The passage's
 * text is its sentences joined by white space, so its tokens are [CLS], the prefix's, each
 * sentence's in turn, [SEP]; where the counts do not add up, that passage's sentences are
 * embedded on their own instead.
 * items: { text (prefixed), prefix, sentences }[] → rows: per item, the passage then its sentences.
 */
function inContext(embed, extractor) {
  return async function embedInContext(items) {
    const count = (text) => extractor.tokenizer.encode(text, { add_special_tokens: false }).length;
    const rows = items.reduce((sum, item) => sum + 1 + item.sentences.length, 0);
    let data = null;
    let dimension = 0;
    let row = 0;
    for (const item of items) {
      const output = await extractor([item.text], { pooling: 'none' });
      const [, length, width] = output.dims;
      dimension = width;
      data ??= new Float32Array(rows * width);
      const states = output.data;
      meanRow(states, width, 0, length, data, row * width);
      const counts = item.sentences.map(count);
      let at = 1 + count(item.prefix);
      if (at + counts.reduce((a, b) => a + b, 0) + 1 === length) {
        counts.forEach((n, i) => {
          meanRow(states, width, at, Math.max(1, n), data, (row + 1 + i) * width);
          at += n;
        });
      } else {
        const alone = await embed(item.sentences.map((s) => item.prefix + s));
        data.set(alone.data, (row + 1) * width);
      }
      output.dispose();
      row += 1 + item.sentences.length;
    }
    return { data: data ?? new Float32Array(0), rows, dimension };
  };
}

let embed;
let embedInContext;
try {
  let extractor;
  ({ embed, extractor } = await load());
  embedInContext = inContext(embed, extractor);
  const probe = await embed(['dimension probe']);
  parentPort.postMessage({ ready: true, dimension: probe.dimension });
} catch (error) {
  parentPort.postMessage({ ready: false, error: error instanceof Error ? error.message : String(error) });
}

// One request at a time, in order.
let queue = Promise.resolve();
parentPort.on('message', ({ id, texts, items }) => {
  queue = queue.then(async () => {
    try {
      const { data, rows, dimension } = items ? await embedInContext(items) : await embed(texts);
      parentPort.postMessage({ id, data, rows, dimension }, [data.buffer]);
    } catch (error) {
      parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
