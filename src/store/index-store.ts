import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';
import { newGenerationDir, publishGeneration, readPointer, removeStaleGenerations } from './atomic-dir.js';
import { QuantizedVectors } from './quantized-vectors.js';
import { FILES, INDEX_FORMAT_VERSION, isStoredDocuments, ManifestSchema, type Manifest, type StoredDocument } from './index-format.js';

const { HierarchicalNSW } = hnswlib;
export type VectorIndex = InstanceType<typeof HierarchicalNSW>;

/** An index without its vectors: the documents and the word index (what a store holding the vectors elsewhere needs here). */
export interface StoredTexts {
  manifest: Manifest;
  documents: StoredDocument[];
  /** Serialized lexical index, opaque to the store. */
  lexicalJson: string;
  generationDir: string;
}

export interface StoredIndex extends StoredTexts {
  vectors: VectorIndex;
  /** Rows 0…chunkCount-1: passages; then sentences in document → passage → sentence order. */
  table: QuantizedVectors;
}

/** Whether a loaded index holds its vectors too. */
export const hasVectors = (index: StoredTexts): index is StoredIndex => 'vectors' in index && 'table' in index;

export type LoadResult<T = StoredIndex> = { ok: true; index: T } | { ok: false; reason: string };

export interface Expectation {
  modelId: string;
}

const DATA_FILES: readonly string[] = [FILES.documents, FILES.vectors, FILES.lexical, FILES.table];
const TEXT_FILES: readonly string[] = [FILES.documents, FILES.lexical];

export function createVectorIndex(dimension: number, capacity: number, m = 16, efConstruction = 200): VectorIndex {
  const index = new HierarchicalNSW('cosine', dimension);
  index.initIndex({ maxElements: Math.max(1, capacity), m, efConstruction, randomSeed: 100 });
  return index;
}

/** sha256 of a file read in chunks: nothing but the hash is kept in memory. */
async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

type FileDigest = { digest: string } | { error: string };

/**
 * sha256 of each file, streamed in a worker thread (src/store/hash-worker.mjs): the main thread
 * stays free to parse the same files meanwhile, and no file is held in memory to be hashed.
 */
function hashFilesOffThread(files: string[]): Promise<FileDigest[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./hash-worker.mjs', import.meta.url), { workerData: { files } });
    worker.once('message', (digests: FileDigest[]) => resolve(digests));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hashing worker stopped (exit code ${String(code)})`)));
  });
}

/**
 * JSON text as written by saveIndex: ASCII only (other characters escaped), so it is read as a
 * one-byte string, which decodes and parses two to three times faster than the same text with a
 * few multi-byte characters in it. Indexes written before that are still read as UTF-8.
 */
function decodeJson(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** JSON.stringify's output with every non-ASCII character written as \u escapes (the same JSON value). */
export function asciiJson(json: string): string {
  // JSON.stringify leaves nothing below 0x20 unescaped, so this matches exactly the non-ASCII characters.
  return json.replace(/[^\x20-\x7f]/gu, (char) => {
    let escaped = '';
    for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(decodeJson(bytes));
  } catch {
    return undefined;
  }
}

type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Loads the live index, checking every file against the manifest before trusting it. */
export function loadIndex(indexDir: string, expected: Expectation): Promise<LoadResult> {
  return loadLive(indexDir, expected, true) as Promise<LoadResult>;
}

/** Loads the live index without its vector files (neither read nor checked), as `loadIndex` does the rest. */
export function loadIndexTexts(indexDir: string, expected: Expectation): Promise<LoadResult<StoredTexts>> {
  return loadLive(indexDir, expected, false);
}

/** Loads one generation of an index whole (`StoredTexts.generationDir`), if it is still there. */
export function loadGeneration(generationDir: string, expected: Expectation): Promise<LoadResult> {
  return loadGenerationDir(generationDir, expected, true) as Promise<LoadResult>;
}

async function loadLive(indexDir: string, expected: Expectation, withVectors: boolean): Promise<LoadResult<StoredTexts>> {
  const generation = await readPointer(indexDir);
  if (!generation) return { ok: false, reason: `no index in ${indexDir} yet` };
  return loadGenerationDir(path.join(indexDir, generation), expected, withVectors);
}

async function loadGenerationDir(dir: string, expected: Expectation, withVectors: boolean): Promise<LoadResult<StoredTexts>> {
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
  const file = (name: string): string => path.join(dir, name);
  const missing = (name: string): Checked<never> => ({ ok: false, reason: `index file ${name} is missing` });
  const corrupt = (name: string): Checked<never> => ({ ok: false, reason: `index file ${name} is corrupt (checksum mismatch)` });
  const rows = manifest.chunkCount + manifest.sentenceCount;

  // Every byte of the files read is hashed, in a worker thread, while this thread reads and
  // parses them; nothing is trusted before its hash matches. No file is held twice: the HNSW graph
  // is read by hnswlib itself once its hash matches, the others are parsed from their one buffer.
  const files = withVectors ? DATA_FILES : TEXT_FILES;
  const digests = hashFilesOffThread(files.map(file));
  const verified = async (name: string): Promise<Checked<true>> => {
    const digest = (await digests)[files.indexOf(name)];
    if (!digest || 'error' in digest) return missing(name);
    return digest.digest === manifest.files[name] ? { ok: true, value: true } : corrupt(name);
  };
  const vectorsTask = async (): Promise<Checked<VectorIndex>> => {
    const check = await verified(FILES.vectors);
    if (!check.ok) return check;
    const vectors = new HierarchicalNSW('cosine', manifest.dimension);
    try {
      await vectors.readIndex(file(FILES.vectors));
    } catch (error) {
      return { ok: false, reason: `vector index cannot be read (${(error as Error).message})` };
    }
    if (vectors.getCurrentCount() !== manifest.chunkCount) return { ok: false, reason: 'vector index does not match its manifest' };
    return { ok: true, value: vectors };
  };
  /** A file's bytes, read while it is hashed, handed to `use` once the hash matches. */
  const readVerified = async <T>(name: string, use: (bytes: Buffer) => Checked<T>): Promise<Checked<T>> => {
    const bytes = await readFile(file(name)).catch(() => null);
    const check = await verified(name);
    if (!check.ok) return check;
    return bytes ? use(bytes) : missing(name);
  };
  const tableTask = (): Promise<Checked<QuantizedVectors>> =>
    readVerified(FILES.table, (bytes): Checked<QuantizedVectors> => {
      if (bytes.length !== QuantizedVectors.byteLength(rows, manifest.dimension)) return { ok: false, reason: 'vector table does not match its manifest' };
      return { ok: true, value: QuantizedVectors.fromBytes(bytes, rows, manifest.dimension) };
    });
  const lexicalTask = readVerified(FILES.lexical, (bytes): Checked<string> => ({ ok: true, value: decodeJson(bytes) }));
  const documentsTask = (async (): Promise<Checked<StoredDocument[]>> => {
    // Parsed before its hash is known (the hash is computed meanwhile), and thrown away if it does not match.
    const bytes = await readFile(file(FILES.documents)).catch(() => null);
    const parsed = bytes ? parseJson(bytes) : undefined;
    const check = await verified(FILES.documents);
    if (!check.ok) return check;
    if (!bytes) return missing(FILES.documents);
    // The bytes are the ones that were written: a cheap shape check, not a full validation.
    const documents = (parsed as { documents?: unknown } | undefined)?.documents;
    if (!isStoredDocuments(documents)) return { ok: false, reason: 'index documents file is malformed' };
    return { ok: true, value: documents };
  })();

  const skipped = Promise.resolve(null);
  const [documents, vectors, lexical, table] = await Promise.all([documentsTask, withVectors ? vectorsTask() : skipped, lexicalTask, withVectors ? tableTask() : skipped]);
  // Problems are reported in the order the files were always checked in.
  if (!documents.ok) return documents;
  if (vectors && !vectors.ok) return vectors;
  if (!lexical.ok) return lexical;
  if (table && !table.ok) return table;
  const texts: StoredTexts = { manifest, documents: documents.value, lexicalJson: lexical.value, generationDir: dir };
  if (!vectors || !table) return { ok: true, index: texts };
  const whole: StoredIndex = { ...texts, vectors: vectors.value, table: table.value };
  return { ok: true, index: whole };
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
    // Hashed from the bytes written, not read back; only hnswlib writes its file itself.
    const contents: [string, string | Buffer][] = [
      [FILES.documents, asciiJson(JSON.stringify({ documents: toSave.documents }))],
      [FILES.lexical, asciiJson(toSave.lexicalJson)],
      [FILES.table, Buffer.concat(toSave.table.toBytes())],
    ];
    const digests = new Map<string, string>();
    for (const [name, data] of contents) {
      await writeFile(path.join(dir, name), data);
      digests.set(name, createHash('sha256').update(data).digest('hex'));
    }
    toSave.vectors.writeIndexSync(path.join(dir, FILES.vectors));
    digests.set(FILES.vectors, await hashFile(path.join(dir, FILES.vectors)));
    const files = Object.fromEntries(DATA_FILES.map((name) => [name, digests.get(name) as string]));
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
