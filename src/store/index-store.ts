import { createHash, webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { newGenerationDir, publishGeneration, readPointer, removeStaleGenerations } from './atomic-dir.js';
import { QuantizedVectors } from './quantized-vectors.js';
import { DocumentsFileSchema, FILES, INDEX_FORMAT_VERSION, ManifestSchema, type Manifest, type StoredDocument } from './index-format.js';

const { HierarchicalNSW } = hnswlib;
export type VectorIndex = InstanceType<typeof HierarchicalNSW>;

export interface StoredIndex {
  manifest: Manifest;
  documents: StoredDocument[];
  vectors: VectorIndex;
  /** Serialized lexical index, opaque to the store. */
  lexicalJson: string;
  /** Rows 0…chunkCount-1: passages; then sentences in document → passage → sentence order. */
  table: QuantizedVectors;
  generationDir: string;
}

export type LoadResult = { ok: true; index: StoredIndex } | { ok: false; reason: string };

export interface Expectation {
  modelId: string;
}

const sha256 = (data: Buffer | string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function digestHex(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

const DATA_FILES = [FILES.documents, FILES.vectors, FILES.lexical, FILES.table];


export function createVectorIndex(dimension: number, capacity: number, m = 16, efConstruction = 200): VectorIndex {
  const index = new HierarchicalNSW('cosine', dimension);
  index.initIndex({ maxElements: Math.max(1, capacity), m, efConstruction, randomSeed: 100 });
  return index;
}

/** Loads the live index, checking every file against the manifest before trusting it. */
export async function loadIndex(indexDir: string, expected: Expectation): Promise<LoadResult> {
  const generation = await readPointer(indexDir);
  if (!generation) return { ok: false, reason: `no index in ${indexDir} yet` };
  const dir = path.join(indexDir, generation);
  let manifest: Manifest;
  try {
    const raw: unknown = JSON.parse(await readFile(path.join(dir, FILES.manifest), 'utf8'));
    const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
    if (version !== INDEX_FORMAT_VERSION) {
      return { ok: false, reason: `index format ${String(version)} is not the current format ${String(INDEX_FORMAT_VERSION)}` };
    }
    const parsed = ManifestSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, reason: 'index manifest is malformed' };
    manifest = parsed.data;
  } catch (error) {
    return { ok: false, reason: `index manifest is missing or unreadable (${(error as NodeJS.ErrnoException).code ?? 'not JSON'})` };
  }
  if (manifest.modelId !== expected.modelId) {
    return { ok: false, reason: `index was built with model ${manifest.modelId}, but ${expected.modelId} is configured` };
  }
  const contents = new Map<string, Buffer>();
  for (const name of DATA_FILES) {
    try {
      contents.set(name, await readFile(path.join(dir, name)));
    } catch {
      return { ok: false, reason: `index file ${name} is missing` };
    }
  }
  // Hashed off the main thread, all files at once.
  const digests = await Promise.all(DATA_FILES.map((name) => digestHex(contents.get(name) as Buffer)));
  const corrupt = DATA_FILES.find((name, i) => digests[i] !== manifest.files[name]);
  if (corrupt) return { ok: false, reason: `index file ${corrupt} is corrupt (checksum mismatch)` };
  const documents = DocumentsFileSchema.safeParse(JSON.parse((contents.get(FILES.documents) as Buffer).toString('utf8')));
  if (!documents.success) return { ok: false, reason: 'index documents file is malformed' };
  const vectors = new HierarchicalNSW('cosine', manifest.dimension);
  try {
    vectors.readIndexSync(path.join(dir, FILES.vectors));
  } catch (error) {
    return { ok: false, reason: `vector index cannot be read (${(error as Error).message})` };
  }
  if (vectors.getCurrentCount() !== manifest.chunkCount) return { ok: false, reason: 'vector index does not match its manifest' };
  const tableBytes = contents.get(FILES.table) as Buffer;
  const rows = manifest.chunkCount + manifest.sentenceCount;
  if (tableBytes.length !== QuantizedVectors.byteLength(rows, manifest.dimension)) return { ok: false, reason: 'vector table does not match its manifest' };
  return {
    ok: true,
    index: {
      manifest,
      documents: documents.data.documents,
      vectors,
      lexicalJson: (contents.get(FILES.lexical) as Buffer).toString('utf8'),
      table: QuantizedVectors.fromBytes(tableBytes, rows, manifest.dimension),
      generationDir: dir,
    },
  };
}

export interface IndexToSave {
  manifest: Omit<Manifest, 'files' | 'formatVersion' | 'createdAt'>;
  documents: StoredDocument[];
  vectors: VectorIndex;
  lexicalJson: string;
  table: QuantizedVectors;
}

/** Writes a complete new generation and makes it live; the previous one stays live until then. */
export async function saveIndex(indexDir: string, toSave: IndexToSave): Promise<StoredIndex> {
  let dir: string;
  try {
    dir = await newGenerationDir(indexDir);
    const documentsJson = JSON.stringify({ documents: toSave.documents });
    await writeFile(path.join(dir, FILES.documents), documentsJson);
    await writeFile(path.join(dir, FILES.lexical), toSave.lexicalJson);
    await writeFile(path.join(dir, FILES.table), Buffer.concat(toSave.table.toBytes()));
    toSave.vectors.writeIndexSync(path.join(dir, FILES.vectors));
    const files: Record<string, string> = {};
    for (const name of DATA_FILES) files[name] = sha256(await readFile(path.join(dir, name)));
    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      ...toSave.manifest,
      files,
    };
    await writeFile(path.join(dir, FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    await publishGeneration(indexDir, dir);
    return { manifest, documents: toSave.documents, vectors: toSave.vectors, lexicalJson: toSave.lexicalJson, table: toSave.table, generationDir: dir };
  } catch (error) {
    await removeStaleGenerations(indexDir, await readPointer(indexDir)).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new IndexWriteError(`Could not write the new index in ${indexDir} (${code ?? (error as Error).message}); the previous index, if any, is still the one in use.`, code, error);
  }
}

/** Writing a new index failed (disk full, read-only folder, …); nothing was made live. */
export class IndexWriteError extends Error {
  override name = 'IndexWriteError';
  constructor(
    message: string,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}
