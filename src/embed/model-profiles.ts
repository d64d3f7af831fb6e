export type Pooling = 'cls' | 'mean';

export interface ModelProfile {
  pooling: Pooling;
  /** Prepended to questions (not passages), as the model was trained. */
  queryPrefix: string;
  passagePrefix: string;
  /** Longest input the model was trained on, in tokens. */
  maxTokens: number;
  /**
   * Abstention bar: a question whose best passage is less similar than this is not answered.
   * Calibrated on the dev questions for the models measured (see README); a guess for others.
   */
  minSimilarity: number;
}

/** How known model families expect to be used; an unknown model falls back to mean pooling, no prefix. */
export function profileFor(modelId: string): ModelProfile {
  const id = modelId.toLowerCase();
  if (id.includes('bge-') && id.includes('-en')) {
    return { pooling: 'cls', queryPrefix: 'Represent this sentence for searching relevant passages: ', passagePrefix: '', maxTokens: 512, minSimilarity: 0.55 };
  }
  if (id.includes('e5-')) {
    return { pooling: 'mean', queryPrefix: 'query: ', passagePrefix: 'passage: ', maxTokens: 512, minSimilarity: 0.8 };
  }
  if (id.includes('minilm')) {
    return { pooling: 'mean', queryPrefix: '', passagePrefix: '', maxTokens: 256, minSimilarity: 0.3 };
  }
  return { pooling: 'mean', queryPrefix: '', passagePrefix: '', maxTokens: 512, minSimilarity: 0.3 };
}
