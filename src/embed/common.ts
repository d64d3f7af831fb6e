import type { ModelProfile } from './model-profiles.js';

export interface EmbedderOptions {
  modelId: string;
  modelDir: string;
  allowRemoteModels: boolean;
  batchSize?: number;
  /** Threads for bulk work (ingest): that many single-threaded model sessions side by side; 0: one per core. */
  threads?: number;
}

/** The model behind one function: texts in, unit-length vectors out. */
export interface Embedder {
  readonly modelId: string;
  readonly dimension: number;
  readonly profile: ModelProfile;
  /** `onBatch(done, share)`: texts embedded so far, and the share of the work (by length) they were. */
  embedPassages(texts: string[], onBatch?: OnBatch): Promise<Float32Array[]>;
  embedQueries(texts: string[]): Promise<Float32Array[]>;
  /**
   * Mean-pooling models only: each passage and its sentences from one model run, a sentence's
   * vector being the mean of its own tokens' states within the passage. `text` must be `lead`
   * (a context header, or nothing) then the passage's sentences in order, separated by white
   * space only; the passage's vector is read from the whole run, header included.
   */
  embedPassagesInContext?(passages: { text: string; sentences: string[]; lead?: string }[], onBatch?: OnBatch): Promise<PassageVectors[]>;
  countTokens(text: string): number;
  dispose(): Promise<void>;
}

/** Progress of a bulk job: texts done, and the share of the work done (texts weighted by length, since short ones go first). */
export type OnBatch = (done: number, share: number) => void;

export interface PassageVectors {
  passage: Float32Array;
  sentences: Float32Array[];
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/**
 * Runs `embedBatch` over batches of texts of similar length (little work is wasted on padding)
 * and returns the vectors in the order of `texts`. With `lanes` above 1, that many batches are
 * in flight at once, lane `n` taking the next batch as soon as its last one is done (one model
 * session per lane, each on its own core).
 */
export function batchedByLength(
  batchSize: number,
  embedBatch: (texts: string[], lane: number) => Promise<Float32Array[]>,
  lanes = 1,
): (texts: string[], onBatch?: OnBatch) => Promise<Float32Array[]> {
  return async (texts, onBatch) => {
    const order = texts.map((_, i) => i).sort((a, b) => (texts[a] as string).length - (texts[b] as string).length);
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    // A text's work grows with its length (plus a fixed cost per run).
    const work = (i: number): number => (texts[i] as string).length + 20;
    const total = order.reduce((sum, i) => sum + work(i), 0);
    let done = 0;
    let worked = 0;
    await inLanes(Math.ceil(order.length / batchSize), lanes, async (b, lane) => {
      const batchIds = order.slice(b * batchSize, (b + 1) * batchSize);
      const batch = await embedBatch(
        batchIds.map((i) => texts[i] as string),
        lane,
      );
      batch.forEach((vector, row) => {
        vectors[batchIds[row] as number] = vector;
      });
      done += batchIds.length;
      worked += batchIds.reduce((sum, i) => sum + work(i), 0);
      onBatch?.(done, worked / total);
    });
    return vectors;
  };
}

/** Runs `work` on jobs 0…count−1, at most `lanes` at a time; lane n takes the next job when its last is done. */
export async function inLanes(count: number, lanes: number, work: (job: number, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (n: number): Promise<void> => {
    while (next < count) {
      const job = next++;
      try {
        await work(job, n);
      } catch (error) {
        // The other lanes finish the job they have and take no more.
        next = count;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, count)) }, (_, n) => lane(n)));
}
