import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FILES, isStoredDocuments, POINTER_FILE, type StoredDocument } from '../../src/store/index-format.js';
import { asciiJson, createVectorIndex, loadIndex, saveIndex } from '../../src/store/index-store.js';
import { QuantizedVectors } from '../../src/store/quantized-vectors.js';

const DIMENSION = 4;
const scratch = mkdtempSync(path.join(tmpdir(), 'witness-store-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const newIndexDir = (): string => mkdtempSync(path.join(scratch, 'index-'));
const documents: StoredDocument[] = [
  {
    sourceId: 'a.txt',
    hash: 'h1',
    text: 'Café — “quoted” 😀. Second sentence.',
    meta: { title: 'Ünïcode', publisher: null, date: null, url: null, author: 'Zoë' },
    chunks: [{ paragraph: 1, start: 0, end: 36, sentences: [[0, 19], [20, 36]], signals: [0, 0] }],
  },
];

async function saveSample(indexDir: string): Promise<string> {
  const vectors = createVectorIndex(DIMENSION, 1);
  vectors.addPoint([1, 0, 0, 0], 0);
  const table = QuantizedVectors.fromVectors([new Float32Array([1, 0, 0, 0]), new Float32Array([0, 1, 0, 0]), new Float32Array([0, 0, 1, 0])], DIMENSION);
  const saved = await saveIndex(indexDir, {
    manifest: { modelId: 'm', dimension: DIMENSION, corpus: { 'a.txt': 'h1' }, chunkCount: 1, sentenceCount: 2, hnsw: { m: 16, efConstruction: 200 } },
    documents,
    vectors,
    lexicalJson: JSON.stringify({ terms: ['café', 'zoë'] }),
    table,
  });
  return saved.generationDir;
}

describe('index files', () => {
  it('asciiJson writes the same JSON value with ASCII characters only', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        const json = JSON.stringify({ value, text });
        const ascii = asciiJson(json);
        expect(/^[\x20-\x7e]*$/u.test(ascii.replace(/\x7f/gu, ''))).toBe(true);
        expect(JSON.parse(ascii)).toEqual(JSON.parse(json));
      }),
    );
  });

  it('writes documents.json and lexical.json as ASCII and reads them back unchanged', async () => {
    const indexDir = newIndexDir();
    const dir = await saveSample(indexDir);
    for (const name of [FILES.documents, FILES.lexical]) expect(readFileSync(path.join(dir, name)).every((byte) => byte < 0x80)).toBe(true);
    const loaded = await loadIndex(indexDir, { modelId: 'm' });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.index.documents).toEqual(documents);
    expect(JSON.parse(loaded.index.lexicalJson)).toEqual({ terms: ['café', 'zoë'] });
    expect(loaded.index.table.dot(1, new Float32Array([0, 1, 0, 0]))).toBeCloseTo(1, 2);
  });

  it('still reads an index whose JSON files hold raw UTF-8 (written before the ASCII escaping)', async () => {
    const indexDir = newIndexDir();
    const dir = await saveSample(indexDir);
    const manifestFile = path.join(dir, FILES.manifest);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: Record<string, string> };
    const raw = JSON.stringify({ documents });
    writeFileSync(path.join(dir, FILES.documents), raw);
    manifest.files[FILES.documents] = createHash('sha256').update(raw).digest('hex');
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const loaded = await loadIndex(indexDir, { modelId: 'm' });
    expect(loaded.ok && loaded.index.documents).toEqual(documents);
  });

  it('reports a corrupt or missing file by name and loads nothing from it', async () => {
    const indexDir = newIndexDir();
    const dir = await saveSample(indexDir);
    writeFileSync(path.join(dir, FILES.lexical), '{"terms":[]}');
    expect(await loadIndex(indexDir, { modelId: 'm' })).toEqual({ ok: false, reason: 'index file lexical.json is corrupt (checksum mismatch)' });
    writeFileSync(path.join(indexDir, POINTER_FILE), 'gen-missing-00000000\n');
    expect((await loadIndex(indexDir, { modelId: 'm' })).ok).toBe(false);
  });

  it('checks the shape of the documents file', () => {
    expect(isStoredDocuments(documents)).toBe(true);
    expect(isStoredDocuments([{ ...documents[0], chunks: [{ paragraph: 1, start: 0, end: 3, sentences: [[0]] }] }])).toBe(false);
    expect(isStoredDocuments([{ ...documents[0], meta: { title: 3 } }])).toBe(false);
    expect(isStoredDocuments({ documents })).toBe(false);
  });
});
