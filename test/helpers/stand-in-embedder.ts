import type { Embedder } from '../../src/embed/embedder.js';
import { estimateTokens } from '../../src/library/parse-document.js';

/**
 * A TEST-ONLY stand-in for the embedding model: hashed character trigrams, normalised to unit
 * length. It is deterministic and fast, so property tests can run the real chunker, index
 * store, retrieval and quote selection hundreds of times. It lives in test/ on purpose: the
 * product never uses it, and nothing here says anything about retrieval quality.
 */
export const STAND_IN_MODEL_ID = 'test/stand-in-trigram-hash';

const DIMENSION = 64;

function vectorOf(text: string): Float32Array {
  const vector = new Float32Array(DIMENSION);
  const folded = ` ${text.toLowerCase()} `;
  for (let i = 0; i + 3 <= folded.length; i++) {
    let hash = 2166136261;
    for (let j = i; j < i + 3; j++) hash = Math.imul(hash ^ folded.charCodeAt(j), 16777619);
    const slot = (hash >>> 0) % DIMENSION;
    vector[slot] = (vector[slot] as number) + 1;
  }
  // An empty or very short text still gets a unit vector.
  vector[0] = (vector[0] as number) + 1e-3;
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  for (let i = 0; i < DIMENSION; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

export function standInEmbedder(): Embedder {
  return {
    modelId: STAND_IN_MODEL_ID,
    dimension: DIMENSION,
    profile: { pooling: 'mean', queryPrefix: '', passagePrefix: '', maxTokens: 256, minSimilarity: -1 },
    embedPassages: (texts, onBatch) => {
      onBatch?.(texts.length, 1);
      return Promise.resolve(texts.map(vectorOf));
    },
    embedQueries: (texts) => Promise.resolve(texts.map(vectorOf)),
    countTokens: estimateTokens,
    dispose: () => Promise.resolve(),
  };
}
