import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The root the running code lives in: the checkout when run from TypeScript (tsx, vitest),
 * `dist/` when run as compiled JavaScript (`npm run build`). Compiled command modules are under it.
 */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The checkout: defaults are relative to it, not to the shell's working folder (nor to `dist/`). */
export const CHECKOUT_ROOT =
  import.meta.url.endsWith('.js') && path.basename(PROJECT_ROOT) === 'dist' ? path.dirname(PROJECT_ROOT) : PROJECT_ROOT;

const booleanFromEnv = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((value) => value === true || value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).positive({ error: 'must be more than 0' });

/** Every setting of Witness's core, with its environment variable and default. */
export const CoreConfigSchema = z.object({
  corpusDir: z.string().min(1).default(path.join(CHECKOUT_ROOT, 'corpus')).transform((dir) => path.resolve(dir)),
  indexDir: z.string().min(1).default(path.join(CHECKOUT_ROOT, 'index')).transform((dir) => path.resolve(dir)),
  modelId: z.string().min(1).default('Xenova/e5-small-v2'),
  modelDir: z.string().min(1).default(path.join(CHECKOUT_ROOT, 'models')).transform((dir) => path.resolve(dir)),
  allowRemoteModels: booleanFromEnv.default(false),
  maxFileBytes: positiveInt.default(10 * 1024 * 1024),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  /** Overrides the calibrated abstention threshold (dense cosine of the best passage). */
  minScore: z.coerce.number({ error: 'must be a number' }).min(-1).max(1).optional(),
  sentenceVectors: z.enum(['separate', 'in-context']).default('separate'),
  /** `header`: each passage's vector is computed with its document's title, author, year and heading (passage-header.ts); `none`: from its words alone. */
  passageContext: z.enum(['header', 'none']).default('header'),
  /** A PDF's or Word file's creation date becomes its date when its text states none: off, since a converted file's creation date is the day it was converted. */
  fileDates: booleanFromEnv.default(false),
  /** Threads for bulk embedding (ingest), one single-threaded model session each; 0 means one per core. */
  embedThreads: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0).max(64).default(0),
  /** Most documents the library may hold before `/library add` refuses new ones. */
  /** Most pages a PDF may have. */
  maxPages: positiveInt.max(1_000_000).default(2000),
  /** Longest time reading one PDF, web page or Word file may take. */
  extractSeconds: positiveInt.max(3600).default(60),
  /** Most pages of a scanned PDF that OCR reads. */
  ocrMaxPages: positiveInt.max(100_000).default(100),
  /** Longest OCR may take over one page of a scan. */
  ocrPageSeconds: positiveInt.max(3600).default(30),
  /** Where the corpus folder is published, if it is: PDF citations then link to `<url>/<file>#page=N`. */
  libraryUrl: z.url({ protocol: /^https?$/u }).optional(),
  /** Where candidates come from: the embedded index, or a Solr collection kept in step with it (docs/solr.md). */
  store: z.enum(['embedded', 'solr']).default('embedded'),
  /** Solr nodes, comma-separated, e.g. http://10.0.0.1:8983/solr,http://10.0.0.2:8983/solr (with store=solr): when one stops answering, the next is asked. */
  solrUrl: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((url) => url.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/u })).min(1))
    .optional(),
  solrCollection: z.string().min(1).default('witness'),
});

export type CoreConfig = z.infer<typeof CoreConfigSchema>;

export const CORE_ENV: Record<keyof z.input<typeof CoreConfigSchema>, string> = {
  corpusDir: 'WITNESS_CORPUS_DIR',
  indexDir: 'WITNESS_INDEX_DIR',
  modelId: 'WITNESS_MODEL',
  modelDir: 'WITNESS_MODEL_DIR',
  allowRemoteModels: 'WITNESS_ALLOW_REMOTE_MODELS',
  maxFileBytes: 'WITNESS_MAX_FILE_BYTES',
  logLevel: 'WITNESS_LOG_LEVEL',
  minScore: 'WITNESS_MIN_SCORE',
  embedThreads: 'WITNESS_EMBED_THREADS',
  sentenceVectors: 'WITNESS_SENTENCE_VECTORS',
  passageContext: 'WITNESS_PASSAGE_CONTEXT',
  fileDates: 'WITNESS_FILE_DATES',
  maxPages: 'WITNESS_MAX_PAGES',
  extractSeconds: 'WITNESS_EXTRACT_SECONDS',
  ocrMaxPages: 'WITNESS_OCR_MAX_PAGES',
  ocrPageSeconds: 'WITNESS_OCR_PAGE_SECONDS',
  libraryUrl: 'WITNESS_LIBRARY_URL',
  store: 'WITNESS_STORE',
  solrUrl: 'WITNESS_SOLR_URL',
  solrCollection: 'WITNESS_SOLR_COLLECTION',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads settings from the environment, then from explicit overrides (CLI flags win). */
export function loadCoreConfig(
  overrides: Partial<Record<keyof CoreConfig, unknown>> = {},
  env: NodeJS.ProcessEnv = process.env,
): CoreConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(CORE_ENV)) {
    const value = env[variable];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) raw[key] = value;
  }
  const parsed = CoreConfigSchema.safeParse(raw);
  if (!parsed.success) {
    // Name the setting, never echo its value: a value may be a secret.
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const variable = CORE_ENV[key as keyof typeof CORE_ENV];
      return `${variable ? `${variable} (${key})` : key}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
