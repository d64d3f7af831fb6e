import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { batchedByLength, ModelLoadError, type Embedder, type EmbedderOptions, type PassageVectors } from './common.js';
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

  private fail(error: Error): void {
    this.failure ??= error;
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }

  /** `bulk`: part of a large job (ingest), run on every core; otherwise on one thread. */
  embed(texts: string[], bulk: boolean): Promise<Float32Array[]> {
    return this.request({ texts, bulk });
  }

  /** Passages with their sentences, one model run each (model-worker.mjs, `inContext`): per item, the passage's vector then its sentences'. */
  embedInContext(items: { text: string; prefix: string; sentences: string[] }[], bulk: boolean): Promise<Float32Array[]> {
    return this.request({ items, bulk });
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

/**
 * A vendored model run by Transformers.js in a worker thread (src/embed/model-worker.mjs). The main
 * thread stays free while the model loads and while it runs; Transformers.js is imported only there.
 */
export async function loadWorkerEmbedder(options: EmbedderOptions, files: VendoredModel): Promise<Embedder> {
  const { modelId } = options;
  const profile = profileFor(modelId);
  const worker = new Worker(new URL('./model-worker.mjs', import.meta.url), {
    workerData: {
      modelId,
      modelDir: options.modelDir,
      pooling: profile.pooling,
      bulkThreads: options.threads ?? 0,
    },
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
  const batchSize = options.batchSize ?? 16;
  const single = batchedByLength(batchSize, (texts) => client.embed(texts, false));
  const bulk = batchedByLength(batchSize, (texts) => client.embed(texts, true));
  // More than one batch is a job worth every core (ingest); a question or a few texts are not.
  const run = (texts: string[], onBatch?: (done: number) => void): Promise<Float32Array[]> => (texts.length > batchSize ? bulk : single)(texts, onBatch);

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
            const results: PassageVectors[] = [];
            for (let offset = 0; offset < passages.length; offset += batchSize) {
              const batch = passages.slice(offset, offset + batchSize);
              const rows = await client.embedInContext(
                batch.map(({ text, sentences }) => ({ text: profile.passagePrefix + text, prefix: profile.passagePrefix, sentences })),
                passages.length > batchSize,
              );
              let row = 0;
              for (const { sentences } of batch) {
                results.push({ passage: rows[row] as Float32Array, sentences: rows.slice(row + 1, row + 1 + sentences.length) });
                row += 1 + sentences.length;
              }
              onBatch?.(Math.min(offset + batchSize, passages.length));
            }
            return results;
          },
        }
      : {}),
    countTokens,
    dispose: () => client.stop(),
  };
}
