// The embedding model, in a worker thread: the tokenizer and the onnxruntime session live here,
// so loading the model (the longest step of start-up) overlaps with reading the index on the main
// thread, and inference never blocks the main thread's event loop.
//
// Plain JavaScript because a worker cannot run TypeScript under tsx or vitest; the caller is
// src/embed/onnx-embedder.ts. It does what Transformers.js's feature-extraction pipeline does for
// these models (tokenize with special tokens, cut at model_max_length, pad right, run, pool, L2
// normalise), without importing Transformers.js (and the image library it loads).
//
//
// Two sessions of the same model: questions run on one thread (on a shared 2-core machine a
// second thread bought nothing for a 25-token question and, while it spun idle afterwards, slowed
// the BM25 search that follows on the main thread); bulk work (ingest batches) runs on
// `bulkThreads` (0: one per core) in a second session, created on first use and released after a
// minute without bulk work.
//
// workerData: { modelFile, tokenizerFile, tokenizerConfigFile, pooling: 'cls' | 'mean',
//               queryThreads, bulkThreads, memoryArena, spinning }
// in:  { id, texts: string[], bulk: boolean }   out: { id, data: Float32Array, rows, dimension } | { id, error }
// on start: { ready: true, dimension } | { ready: false, error }
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { clearTimeout, setTimeout } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';

const { modelFile, tokenizerFile, tokenizerConfigFile, pooling, queryThreads, bulkThreads, memoryArena, spinning } = workerData;
const BULK_SESSION_IDLE_MS = 60_000;

async function load() {
  const [{ default: ort }, { Tokenizer }] = await Promise.all([import('onnxruntime-node'), import('@huggingface/tokenizers')]);
  const tokenizerConfig = JSON.parse(readFileSync(tokenizerConfigFile, 'utf8'));
  const tokenizer = new Tokenizer(JSON.parse(readFileSync(tokenizerFile, 'utf8')), tokenizerConfig);
  const maxLength = tokenizerConfig.model_max_length ?? Infinity;
  const padId = tokenizer.token_to_id(typeof tokenizerConfig.pad_token === 'object' ? tokenizerConfig.pad_token?.content : tokenizerConfig.pad_token) ?? 0;
  const createSession = (threads) =>
    ort.InferenceSession.create(modelFile, {
      logSeverityLevel: 3,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      interOpNumThreads: 1,
      enableCpuMemArena: memoryArena,
      ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
      ...(spinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
    });
  const querySession = await createSession(queryThreads);
  const inputs = new Set(querySession.inputNames);
  const outputName = querySession.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : querySession.outputNames[0];

  const bulkCores = bulkThreads > 0 ? bulkThreads : availableParallelism();
  let bulkSession = null;
  let bulkIdle = null;
  async function sessionFor(bulk) {
    if (!bulk || bulkCores === queryThreads) return querySession;
    bulkSession ??= createSession(bulkThreads);
    clearTimeout(bulkIdle);
    bulkIdle = setTimeout(() => {
      const released = bulkSession;
      bulkSession = null;
      void released?.then((session) => session.release());
    }, BULK_SESSION_IDLE_MS);
    bulkIdle.unref();
    return bulkSession;
  }

  /** texts → one Float32Array of rows × dimension unit vectors. */
  async function embed(texts, bulk = false) {
    const session = await sessionFor(bulk);
    const encoded = texts.map((text) => {
      const { ids, token_type_ids: types } = tokenizer.encode(text, { add_special_tokens: true, return_token_type_ids: true });
      // Like Transformers.js: a text longer than the model's limit is cut there.
      return ids.length > maxLength ? { ids: ids.slice(0, maxLength), types: types?.slice(0, maxLength) } : { ids, types };
    });
    const rows = encoded.length;
    const width = Math.max(...encoded.map((e) => e.ids.length));
    const inputIds = new BigInt64Array(rows * width).fill(BigInt(padId));
    const attention = new BigInt64Array(rows * width);
    const typeIds = new BigInt64Array(rows * width);
    encoded.forEach(({ ids, types }, row) => {
      for (let i = 0; i < ids.length; i++) {
        inputIds[row * width + i] = BigInt(ids[i]);
        attention[row * width + i] = 1n;
        if (types) typeIds[row * width + i] = BigInt(types[i]);
      }
    });
    const dims = [rows, width];
    const feeds = { input_ids: new ort.Tensor('int64', inputIds, dims), attention_mask: new ort.Tensor('int64', attention, dims) };
    if (inputs.has('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', typeIds, dims);
    const output = (await session.run(feeds, [outputName]))[outputName];
    const hidden = output.data;
    const dimension = output.dims[2];
    const out = new Float32Array(rows * dimension);
    for (let row = 0; row < rows; row++) {
      const base = row * width * dimension;
      const target = row * dimension;
      if (pooling === 'cls') {
        for (let k = 0; k < dimension; k++) out[target + k] = hidden[base + k];
      } else {
        const length = encoded[row].ids.length;
        for (let k = 0; k < dimension; k++) {
          let sum = 0;
          for (let j = 0; j < length; j++) sum += hidden[base + j * dimension + k];
          out[target + k] = sum / length;
        }
      }
      let norm = 0;
      for (let k = 0; k < dimension; k++) norm += out[target + k] * out[target + k];
      norm = Math.max(Math.sqrt(norm), 1e-12);
      for (let k = 0; k < dimension; k++) out[target + k] /= norm;
    }
    output.dispose?.();
    return { data: out, rows, dimension };
  }
  return embed;
}

let embed;
try {
  embed = await load();
  const probe = await embed(['dimension probe']);
  parentPort.postMessage({ ready: true, dimension: probe.dimension });
} catch (error) {
  parentPort.postMessage({ ready: false, error: error instanceof Error ? error.message : String(error) });
}

// One request at a time, in order: a bulk batch already uses every core.
let queue = Promise.resolve();
parentPort.on('message', ({ id, texts, bulk }) => {
  queue = queue.then(async () => {
    try {
      const { data, rows, dimension } = await embed(texts, bulk);
      parentPort.postMessage({ id, data, rows, dimension }, [data.buffer]);
    } catch (error) {
      parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
