import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { batchedByLength, ModelLoadError, type Embedder, type EmbedderOptions } from './common.js';
import { profileFor } from './model-profiles.js';

/**
 * A model that is not vendored, through Transformers.js on the main thread (which downloads it
 * when remote models are allowed). Imported only then: the vendored models load Transformers.js
 * in their worker thread instead (worker-embedder.ts).
 */
export async function loadTransformersEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const { modelId, modelDir, allowRemoteModels } = options;
  env.localModelPath = modelDir.endsWith(path.sep) ? modelDir : modelDir + path.sep;
  env.allowLocalModels = true;
  env.allowRemoteModels = allowRemoteModels;
  let extractor: FeatureExtractionPipeline;
  try {
    const threads = options.threads ?? 0;
    const sessionOptions = threads > 0 ? { session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 } } : {};
    extractor = (await pipeline('feature-extraction', modelId, { dtype: 'q8', ...sessionOptions })) as FeatureExtractionPipeline;
  } catch (error) {
    throw new ModelLoadError(`Could not load model "${modelId}": ${(error as Error).message}`);
  }
  const profile = profileFor(modelId);
  const run = batchedByLength(options.batchSize ?? 16, async (texts) => {
    const output = await extractor(texts, { pooling: profile.pooling, normalize: true });
    const [rows, width] = output.dims as [number, number];
    const data = output.data as Float32Array;
    const vectors = Array.from({ length: rows }, (_, row) => data.slice(row * width, (row + 1) * width));
    output.dispose();
    return vectors;
  });
  const [probe] = await run(['dimension probe']);
  return {
    modelId,
    dimension: probe?.length ?? 0,
    profile,
    embedPassages: (texts, onBatch) => run(texts.map((text) => profile.passagePrefix + text), onBatch),
    embedQueries: (texts) => run(texts.map((text) => profile.queryPrefix + text)),
    countTokens: (text) => extractor.tokenizer.encode(text).length,
    dispose: () => extractor.dispose(),
  };
}
