import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { profileFor, type ModelProfile } from './model-profiles.js';

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
  countTokens(text: string): number;
  dispose(): Promise<void>;
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

function modelIsVendored(modelDir: string, modelId: string): boolean {
  return existsSync(path.join(modelDir, modelId, 'tokenizer.json'));
}

export async function loadEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const { modelId, modelDir, allowRemoteModels } = options;
  const batchSize = options.batchSize ?? 16;
  env.localModelPath = modelDir.endsWith(path.sep) ? modelDir : modelDir + path.sep;
  env.allowLocalModels = true;
  env.allowRemoteModels = allowRemoteModels;
  if (!allowRemoteModels && !modelIsVendored(modelDir, modelId)) {
    throw new ModelLoadError(
      `Model "${modelId}" is not in ${modelDir} and remote models are off. Use the bundled model, vendor this one there, or set WITNESS_ALLOW_REMOTE_MODELS=true.`,
    );
  }
  let extractor: FeatureExtractionPipeline;
  try {
    const threads = options.threads ?? 0;
    const sessionOptions = threads > 0 ? { session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 } } : {};
    extractor = (await pipeline('feature-extraction', modelId, { dtype: 'q8', ...sessionOptions })) as FeatureExtractionPipeline;
  } catch (error) {
    throw new ModelLoadError(`Could not load model "${modelId}": ${(error as Error).message}`);
  }
  const profile = profileFor(modelId);
  const tokenizer = extractor.tokenizer;

  async function run(texts: string[], onBatch?: (done: number) => void): Promise<Float32Array[]> {
    // Batches of similar length waste little work on padding.
    const order = texts.map((_, i) => i).sort((a, b) => (texts[a] as string).length - (texts[b] as string).length);
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    for (let offset = 0; offset < order.length; offset += batchSize) {
      const batchIds = order.slice(offset, offset + batchSize);
      const output = await extractor(batchIds.map((i) => texts[i] as string), { pooling: profile.pooling, normalize: true });
      const [rows, width] = output.dims as [number, number];
      const data = output.data as Float32Array;
      for (let row = 0; row < rows; row++) {
        vectors[batchIds[row] as number] = data.slice(row * width, (row + 1) * width);
      }
      output.dispose();
      onBatch?.(Math.min(offset + batchSize, order.length));
    }
    return vectors;
  }

  const [probe] = await run(['dimension probe']);
  const dimension = probe?.length ?? 0;

  return {
    modelId,
    dimension,
    profile,
    embedPassages: (texts, onBatch) => run(texts.map((text) => profile.passagePrefix + text), onBatch),
    embedQueries: (texts) => run(texts.map((text) => profile.queryPrefix + text)),
    countTokens: (text) => tokenizer.encode(text).length,
    dispose: () => extractor.dispose(),
  };
}
