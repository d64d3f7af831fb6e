import type { CoreConfig } from '../config.js';
import { ModelLoadError, type Embedder, type EmbedderOptions } from './common.js';
import { loadWorkerEmbedder, vendoredModel } from './worker-embedder.js';

export { ModelLoadError, type Embedder, type EmbedderOptions } from './common.js';

/**
 * Loads the embedding model through Transformers.js. A vendored model runs in a worker thread
 * (it loads while the index is read, and questions never block the event loop); any other model
 * id runs on the main thread, downloaded by Transformers.js when remote models are allowed.
 */
export async function loadEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const { modelId, modelDir, allowRemoteModels } = options;
  const files = vendoredModel(modelDir, modelId);
  if (files) return loadWorkerEmbedder(options, files);
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
