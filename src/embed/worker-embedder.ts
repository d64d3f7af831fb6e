import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { batchedByLength, inLanes, ModelLoadError, type Embedder, type EmbedderOptions, type OnBatch, type PassageVectors } from './common.js';
import { BulkHelpers } from './bulk-helpers.js';
import { profileFor } from './model-profiles.js';

type TokenizersModule = typeof import('@huggingface/tokenizers');


/** Question vectors kept for a second search of the same question (embedQueries). */
const RECENT_QUERIES = 16;
export interface VendoredModel {
  modelFile: string;
  tokenizerFile: string;
  tokenizerConfigFile: string;
}

/** The files of a model vendored in Transformers.js's layout (`<dir>/<id>/onnx/model_quantized.onnx`, …), if all are there. */
export function vendoredModel(modelDir: string, modelId: string): VendoredModel | null {
  const dir = path.join(modelDir, modelId);
  const files = {
    modelFile: path.join(dir, 'onnx', 'model_quantized.onnx'),
    tokenizerFile: path.join(dir, 'tokenizer.json'),
    tokenizerConfigFile: path.join(dir, 'tokenizer_config.json'),
  };
  return Object.values(files).every((file) => existsSync(file)) ? files : null;
}

interface Reply {
  id: number;
  data?: Float32Array;
  rows?: number;
  dimension?: number;
  error?: string;
}

/** Requests to the model worker; the worker keeps the process alive only while it has work. */
class WorkerClient {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private failure: Error | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const request = this.pending.get(reply.id);
      if (!request) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error !== undefined) request.reject(new Error(`embedding failed: ${reply.error}`));
      else request.resolve(reply);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the embedding worker stopped (exit code ${String(code)})`)));
  }

  /** The worker died or could not run: every request to it fails. */
  get failed(): boolean {
    return this.failure !== null;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }

  /** Each text is run on its own, on the worker's one thread. */
  embed(texts: string[]): Promise<Float32Array[]> {
    return this.request({ texts });
  }

  /** Passages with their sentences, one model run each (model-worker.mjs, `inContext`): per item, the passage's vector then its sentences'. */
  embedInContext(items: { text: string; prefix: string; sentences: string[] }[]): Promise<Float32Array[]> {
    return this.request({ items });
  }

  /** Sends one request to the worker; its reply's rows, one vector each. */
  private request(message: object): Promise<Float32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    }).then(({ data, rows, dimension }) => {
      const width = dimension as number;
      return Array.from({ length: rows as number }, (_, row) => (data as Float32Array).subarray(row * width, (row + 1) * width));
    });
  }

  stop(): Promise<void> {
    this.failure ??= new Error('the embedder was disposed');
    return this.worker.terminate().then(() => undefined);
  }
}

/** Starts a model worker (model-worker.mjs) and waits for its model to load. */
async function startModelWorker(options: EmbedderOptions, pooling: string): Promise<{ client: WorkerClient; dimension: number }> {
  const { modelId } = options;
  const worker = new Worker(new URL('./model-worker.mjs', import.meta.url), {
    workerData: { modelId, modelDir: options.modelDir, pooling },
  });
  const dimension = await new Promise<number>((resolve, reject) => {
    const onError = (error: Error): void => reject(new ModelLoadError(`Could not load model "${modelId}": ${error.message}`));
    worker.once('error', onError);
    worker.once('message', (message: { ready: boolean; dimension?: number; error?: string }) => {
      worker.off('error', onError);
      if (message.ready) resolve(message.dimension as number);
      else reject(new ModelLoadError(`Could not load model "${modelId}": ${message.error ?? 'unknown error'}`));
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  const client = new WorkerClient(worker);
  worker.unref();
  return { client, dimension };
}

/**
 * A vendored model run by Transformers.js in a worker thread (src/embed/model-worker.mjs). The main
 * thread stays free while the model loads and while it runs; Transformers.js is imported only there.
 */
export async function loadWorkerEmbedder(options: EmbedderOptions, files: VendoredModel): Promise<Embedder> {
  const { modelId } = options;
  const profile = profileFor(modelId);
  const { client, dimension } = await startModelWorker(options, profile.pooling);
  const batchSize = options.batchSize ?? 16;
  // Bulk work (ingest) runs on one single-threaded model session per core, each embedding its own
  // batches: for texts run one at a time (a sentence is ~40 tokens), sessions side by side did
  // 1.4 times the work of one session on two threads (BENCHMARKS.md, scripts/bench/embed-parallel.ts).
  const lanes = options.threads && options.threads > 0 ? options.threads : availableParallelism();
  const helpers = new BulkHelpers<WorkerClient>(lanes - 1, async () => (await startModelWorker(options, profile.pooling)).client);
  const clientFor = async (lane: number): Promise<WorkerClient> => (lane === 0 ? client : helpers.get(lane - 1));
  const single = batchedByLength(batchSize, (texts) => client.embed(texts));
  const bulk = async (texts: string[], onBatch?: OnBatch): Promise<Float32Array[]> =>
    helpers.during(() => batchedByLength(batchSize, async (batch, lane) => (await clientFor(lane)).embed(batch), lanes)(texts, onBatch));
  // More than one batch is a job worth every core (ingest); a question or a few texts are not.
  const run = (texts: string[], onBatch?: OnBatch): Promise<Float32Array[]> => (texts.length > batchSize ? bulk : single)(texts, onBatch);

  const recentQueries = new Map<string, Promise<Float32Array[]>>();

  // Counting tokens (chunking at ingest) needs the tokenizer here too; built on first use only.
  let tokenizer: InstanceType<TokenizersModule['Tokenizer']> | null = null;
  const countTokens = (text: string): number => {
    if (!tokenizer) {
      const { Tokenizer } = createRequire(import.meta.url)('@huggingface/tokenizers') as TokenizersModule;
      tokenizer = new Tokenizer(JSON.parse(readFileSync(files.tokenizerFile, 'utf8')) as object, JSON.parse(readFileSync(files.tokenizerConfigFile, 'utf8')) as object);
    }
    return tokenizer.encode(text).ids.length;
  };

  return {
    modelId,
    dimension,
    profile,
    embedPassages: (texts, onBatch) => run(texts.map((text) => profile.passagePrefix + text), onBatch),
    embedQueries: (texts) => {
      // A question asked of a server's library and of the base library is embedded once: the
      // last few question vectors are kept (read-only) for the second library's search.
      if (texts.length !== 1) return run(texts.map((text) => profile.queryPrefix + text));
      const text = texts[0] as string;
      let vector = recentQueries.get(text);
      if (!vector) {
        vector = run([profile.queryPrefix + text]);
        vector.catch(() => recentQueries.delete(text));
        recentQueries.set(text, vector);
        if (recentQueries.size > RECENT_QUERIES) recentQueries.delete(recentQueries.keys().next().value as string);
      }
      return vector;
    },
    ...(profile.pooling === 'mean'
      ? {
          embedPassagesInContext: async (passages, onBatch) => {
            const results: PassageVectors[] = new Array<PassageVectors>(passages.length);
            // A passage run is several sentences long: smaller batches, so that a question sent to
            // the same model session waits behind a quarter of the work it would otherwise.
            const runs = Math.max(1, Math.floor(batchSize / 4));
            const work = passages.length > runs ? lanes : 1;
            let done = 0;
            await helpers.during(() =>
              inLanes(Math.ceil(passages.length / runs), work, async (b, lane) => {
                const offset = b * runs;
                const batch = passages.slice(offset, offset + runs);
                const rows = await (await clientFor(lane)).embedInContext(batch.map(({ text, sentences, lead }) => ({ text: profile.passagePrefix + text, prefix: profile.passagePrefix + (lead ?? ''), sentences })));
                let row = 0;
                batch.forEach(({ sentences }, i) => {
                  results[offset + i] = { passage: rows[row] as Float32Array, sentences: rows.slice(row + 1, row + 1 + sentences.length) };
                  row += 1 + sentences.length;
                });
                done += batch.length;
                onBatch?.(done, done / passages.length);
              }),
            );
            return results;
          },
        }
      : {}),
    countTokens,
    dispose: async () => {
      await helpers.stop();
      await client.stop();
    },
  };
}
