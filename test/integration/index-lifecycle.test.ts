import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadEmbedder, type Embedder } from '../../src/embed/embedder.js';
import { updateIndex } from '../../src/ingest/update-index.js';
import { Answerer } from '../../src/search/ask.js';
import { openEmbedded } from '../../src/store/embedded-store.js';
import { FILES, POINTER_FILE } from '../../src/store/index-format.js';
import { hasVectors, loadIndex, loadIndexTexts } from '../../src/store/index-store.js';
import { sampleWorkspace } from '../helpers/fixtures.js';

const MODEL = 'Xenova/bge-small-en-v1.5';
let embedder: Embedder;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  embedder = await loadEmbedder({ modelId: MODEL, modelDir: path.join(PROJECT_ROOT, 'models'), allowRemoteModels: false });
});
afterAll(async () => embedder.dispose());

function ingest(workspace: { corpusDir: string; indexDir: string }, rebuild = false, model: Embedder = embedder) {
  return updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder: model, logger, rebuild });
}

function liveGeneration(indexDir: string): string {
  return path.join(indexDir, readFileSync(path.join(indexDir, POINTER_FILE), 'utf8').trim());
}

describe('the index on disk', () => {
  it('embeds only what changed: unchanged files are not re-embedded, removed files leave the index', async () => {
    const workspace = sampleWorkspace();
    const first = await ingest(workspace);
    expect(first.report).toMatchObject({ documents: 5, upToDate: false, reused: 0 });
    expect(first.report.embedded).toBe(first.report.passages);

    const again = await ingest(workspace);
    expect(again.report).toMatchObject({ upToDate: true, embedded: 0 });

    const changedFile = path.join(workspace.corpusDir, '003_4bbc032d74fe67a6.txt');
    appendFileSync(changedFile, '\n\nA new closing paragraph about the reconstruction of the old city after the battle.\n');
    rmSync(path.join(workspace.corpusDir, '004_2fa897a6bb32e4bf.txt'));
    // Only the changed file is cut into passages again (token counting is the costly part on a large library).
    const measured: string[] = [];
    const counting: Embedder = { ...embedder, countTokens: (text) => (measured.push(text), embedder.countTokens(text)) };
    const changed = await ingest(workspace, false, counting);
    // One new passage of one sentence: the passage with its context header, and the sentence alone.
    expect(changed.report).toMatchObject({ documents: 4, embedded: 1, textsEmbedded: 2, removed: 1, upToDate: false });
    expect(changed.report.reused).toBe(changed.report.passages - 1);
    expect(measured.length).toBeGreaterThan(0);
    const changedText = readFileSync(changedFile, 'utf8');
    expect(measured.every((text) => changedText.includes(text))).toBe(true);
    for (const doc of changed.index.documents.filter((d) => d.sourceId !== '003_4bbc032d74fe67a6.txt')) {
      expect(doc).toEqual(first.index.documents.find((d) => d.sourceId === doc.sourceId));
    }

    const { library, store } = openEmbedded(changed.index);
    const answerer = new Answerer(library, store, embedder, { minSimilarity: embedder.profile.minSimilarity });
    const tal = await answerer.ask('Which strategic town near the Syrian border did the rebels capture?', { k: 5 });
    expect(tal.results.map((r) => r.sourceId)).not.toContain('004_2fa897a6bb32e4bf.txt');
    const added = await answerer.ask('What about the reconstruction of the old city?', { k: 1 });
    expect(added.results[0]?.quote).toContain('reconstruction of the old city');
  });

  it('leaves the vectors unread when they live in another store and nothing changed, and reads them to reuse when something did', async () => {
    const workspace = sampleWorkspace();
    const first = await ingest(workspace);
    const texts = await updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger, load: 'texts' });
    expect(texts.report.upToDate).toBe(true);
    expect(hasVectors(texts.index)).toBe(false);
    expect(texts.index.documents).toEqual(first.index.documents);
    // The vector files are not even checked: damage there does not stop a store that does not read them…
    writeFileSync(path.join(liveGeneration(workspace.indexDir), FILES.vectors), 'garbage');
    expect((await loadIndexTexts(workspace.indexDir, { modelId: MODEL })).ok).toBe(true);
    expect((await loadIndex(workspace.indexDir, { modelId: MODEL })).ok).toBe(false);
    // …but an ingest that needs them finds it, says why, and embeds everything again.
    appendFileSync(path.join(workspace.corpusDir, '000_93204e62e34d1ad1.txt'), '\n\nOne more paragraph about the people who went back to the old city.\n');
    const broken = await updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger, load: 'texts' });
    expect(broken.report.previousIndexProblem).toMatch(/vectors\.hnsw/u);
    expect(broken.report.embedded).toBe(broken.report.passages);
    // With the vectors whole, a change reads them and reuses every unchanged passage's.
    appendFileSync(path.join(workspace.corpusDir, '001_f9e13c605d763562.txt'), '\n\nA last paragraph, about the wells outside the town.\n');
    const changed = await updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger, load: 'texts' });
    expect(changed.report).toMatchObject({ upToDate: false, embedded: 1, previousIndexProblem: null });
    expect(hasVectors(changed.index)).toBe(true);
  });

  it('skips bad files with a reason and still ingests the rest', async () => {
    const workspace = sampleWorkspace();
    writeFileSync(path.join(workspace.corpusDir, 'broken.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    writeFileSync(path.join(workspace.corpusDir, 'empty.md'), '');
    const { report } = await ingest(workspace);
    expect(report.documents).toBe(5);
    expect(report.skipped.map((s) => s.sourceId).sort()).toEqual(['broken.txt', 'empty.md']);
  });

  it.each([
    ['a corrupt vector file', (gen: string) => writeFileSync(path.join(gen, FILES.vectors), 'garbage')],
    ['a truncated documents file', (gen: string) => writeFileSync(path.join(gen, FILES.documents), readFileSync(path.join(gen, FILES.documents)).subarray(0, 100))],
    ['a missing lexical file', (gen: string) => rmSync(path.join(gen, FILES.lexical))],
    ['flipped bytes in the vector table', (gen: string) => {
      const bytes = readFileSync(path.join(gen, FILES.table));
      bytes[10] = (bytes[10] ?? 0) ^ 0xff;
      writeFileSync(path.join(gen, FILES.table), bytes);
    }],
    ['a manifest that is not JSON', (gen: string) => writeFileSync(path.join(gen, FILES.manifest), '{oops')],
    [
      'a manifest naming another model',
      (gen: string) => {
        const manifest = JSON.parse(readFileSync(path.join(gen, FILES.manifest), 'utf8')) as Record<string, unknown>;
        writeFileSync(path.join(gen, FILES.manifest), JSON.stringify({ ...manifest, modelId: 'Xenova/all-MiniLM-L6-v2' }));
      },
    ],
    [
      'an older format version',
      (gen: string) => {
        const manifest = JSON.parse(readFileSync(path.join(gen, FILES.manifest), 'utf8')) as Record<string, unknown>;
        writeFileSync(path.join(gen, FILES.manifest), JSON.stringify({ ...manifest, formatVersion: 0 }));
      },
    ],
  ])('rebuilds from the corpus, with a reason, after %s', async (_name, damage) => {
    const workspace = sampleWorkspace();
    await ingest(workspace);
    damage(liveGeneration(workspace.indexDir));
    const problem = await loadIndex(workspace.indexDir, { modelId: MODEL });
    expect(problem.ok).toBe(false);
    const rebuilt = await ingest(workspace);
    expect(rebuilt.report.previousIndexProblem).toEqual(expect.any(String));
    expect(rebuilt.report.documents).toBe(5);
    expect((await loadIndex(workspace.indexDir, { modelId: MODEL })).ok).toBe(true);
  });

  it('keeps serving the previous index when a new one was only half written', async () => {
    const workspace = sampleWorkspace();
    const first = await ingest(workspace);
    // What a crash mid-ingest leaves: a new generation folder that CURRENT never pointed to.
    const half = path.join(workspace.indexDir, 'gen-zzzz-deadbeef');
    mkdirSync(half);
    writeFileSync(path.join(half, FILES.documents), '{"documents": [');
    const loaded = await loadIndex(workspace.indexDir, { modelId: MODEL });
    expect(loaded.ok && loaded.index.manifest.chunkCount).toBe(first.report.passages);
    appendFileSync(path.join(workspace.corpusDir, '000_93204e62e34d1ad1.txt'), '\n\nOne more paragraph so the next ingest writes a new generation.\n');
    await ingest(workspace);
    expect(readdirSync(workspace.indexDir).filter((name) => name.startsWith('gen-'))).toHaveLength(1);
  });
});
