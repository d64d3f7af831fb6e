import type { ModelProfile } from './model-profiles.js';

export interface EmbedderOptions {
  modelId: string;
  modelDir: string;
  allowRemoteModels: boolean;
  batchSize?: number;
  /** onnxruntime intra-op threads; 0 leaves onnxruntime's default (one per core). */
  threads?: number;
}

/** The model behind one function: texts in, unit-length vectors out. */
export interface Embedder {
  readonly modelId: string;
  readonly dimension: number;
  readonly profile: ModelProfile;
  embedPassages(texts: string[], onBatch?: (done: number) => void): Promise<Float32Array[]>;
  embedQueries(texts: string[]): Promise<Float32Array[]>;
  /**
   * Mean-pooling models only: each passage and its sentences from one model run, a sentence's
   * vector being the mean of its own tokens' states within the passage. `sentences` must be the
   * passage's sentences in order, separated in it by white space only.
   */
  embedPassagesInContext?(passages: { text: string; sentences: string[] }[], onBatch?: (done: number) => void): Promise<PassageVectors[]>;
  countTokens(text: string): number;
  dispose(): Promise<void>;
}

export interface PassageVectors {
  passage: Float32Array;
  sentences: Float32Array[];
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/**
 * Runs `embedBatch` over batches of texts of similar length (little work is wasted on padding)
 * and returns the vectors in the order of `texts`.
 */
export function batchedByLength(
  batchSize: number,
  embedBatch: (texts: string[]) => Promise<Float32Array[]>,
): (texts: string[], onBatch?: (done: number) => void) => Promise<Float32Array[]> {
  return async (texts, onBatch) => {
    const order = texts.map((_, i) => i).sort((a, b) => (texts[a] as string).length - (texts[b] as string).length);
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    for (let offset = 0; offset < order.length; offset += batchSize) {
      const batchIds = order.slice(offset, offset + batchSize);
      const batch = await embedBatch(batchIds.map((i) => texts[i] as string));
      batch.forEach((vector, row) => {
        vectors[batchIds[row] as number] = vector;
      });
      onBatch?.(Math.min(offset + batchSize, order.length));
    }
    return vectors;
  };
}
