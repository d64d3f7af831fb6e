import type { CoreConfig } from '../config.js';
import { ModelLoadError, type Embedder, type EmbedderOptions } from './common.js';
import { loadOnnxEmbedder, vendoredModel } from './onnx-embedder.js';

export { ModelLoadError, type Embedder, type EmbedderOptions } from './common.js';

/**
 * Loads the embedding model. A vendored model runs in onnxruntime in a worker thread; any other
 * model id goes through Transformers.js, which downloads it when remote models are allowed.
 */
export async function loadEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const { modelId, modelDir, allowRemoteModels } = options;
  const files = vendoredModel(modelDir, modelId);
  if (files) return loadOnnxEmbedder(options, files);
  if (!allowRemoteModels) {
    throw new ModelLoadError(
      `Model "${modelId}" is not in ${modelDir} and remote models are off. Use the bundled model, vendor this one there, or set WITNESS_ALLOW_REMOTE_MODELS=true.`,
    );
  }
  const { loadTransformersEmbedder } = await import('./transformers-embedder.js');
  return loadTransformersEmbedder(options);
}

/** The model settings of a core configuration. */
export function embedderOptions(config: Pick<CoreConfig, 'modelId' | 'modelDir' | 'allowRemoteModels' | 'embedThreads'>): EmbedderOptions {
  return { modelId: config.modelId, modelDir: config.modelDir, allowRemoteModels: config.allowRemoteModels, threads: config.embedThreads };
}
