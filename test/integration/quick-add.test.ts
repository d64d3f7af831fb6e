import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig, PROJECT_ROOT } from '../../src/config.js';
import { LibraryState } from '../../src/discord/library-state.js';
import { ServerLibraries } from '../../src/discord/server-libraries.js';
import { WorkQueue } from '../../src/discord/work-queue.js';
import { loadEmbedder, type Embedder } from '../../src/embed/embedder.js';
import { updateIndex } from '../../src/ingest/update-index.js';
import { Answerer } from '../../src/search/ask.js';
import { openEmbedded } from '../../src/store/embedded-store.js';
import type { StoredIndex } from '../../src/store/index-store.js';
import { openWitness } from '../../src/witness.js';
import { sampleWorkspace } from '../helpers/fixtures.js';

// The shipped model: reading sentences in their passage's run needs mean pooling.
const MODEL = 'Xenova/e5-small-v2';
const ADDED = '003_4bbc032d74fe67a6.txt';
let embedder: Embedder;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  embedder = await loadEmbedder({ modelId: MODEL, modelDir: path.join(PROJECT_ROOT, 'models'), allowRemoteModels: false, threads: 1 });
});
afterAll(async () => embedder.dispose());

function ingest(workspace: { corpusDir: string; indexDir: string }, provisional = false) {
  return updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger, provisional });
}

/** Every row of the vector table (passages, then sentences), in library order. */
function rows(index: StoredIndex): Float32Array[] {
  const count = index.manifest.chunkCount + index.manifest.sentenceCount;
  return Array.from({ length: count }, (_, row) => index.table.row(row));
}

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0) / Math.hypot(...a) / Math.hypot(...b);

describe('a quick add (provisional sentence vectors, as /library add makes them)', () => {
  it('makes the new document answerable after its passage runs, then a full ingest gives the index a normal ingest would, embedding only its sentences', async () => {
    const workspace = sampleWorkspace();
    const removed = path.join(workspace.root, ADDED);
    copyFileSync(path.join(workspace.corpusDir, ADDED), removed);
    rmSync(path.join(workspace.corpusDir, ADDED));
    const before = await ingest(workspace);
    expect(before.report.provisional).toBe(0);

    copyFileSync(removed, path.join(workspace.corpusDir, ADDED));
    const quick = await ingest(workspace, true);
    const added = quick.index.documents.find((doc) => doc.sourceId === ADDED);
    if (!added) throw new Error('the added document is not in the index');
    const sentences = added.chunks.reduce((sum, chunk) => sum + chunk.sentences.length, 0);
    // One model run per new passage, nothing for its sentences, nothing for the other documents.
    expect(quick.report).toMatchObject({ provisional: 1, embedded: added.chunks.length, textsEmbedded: added.chunks.length, upToDate: false });
    expect(quick.index.manifest.provisional).toEqual([ADDED]);
    const { library, store } = openEmbedded(quick.index);
    const answerer = new Answerer(library, store, embedder, { minSimilarity: embedder.profile.minSimilarity });
    const answer = await answerer.ask('How many children are trapped in Mosul according to Save the Children?', { k: 3 });
    expect(answer.results[0]?.sourceId).toBe(ADDED);
    expect(answer.results[0]?.quote).toContain('600,000 children');

    // A quick ingest of an unchanged library does nothing more; a full one finishes the sentences.
    expect((await ingest(workspace, true)).report).toMatchObject({ upToDate: true, provisional: 1 });
    const full = await ingest(workspace);
    expect(full.report).toMatchObject({ provisional: 0, embedded: 0, textsEmbedded: sentences, upToDate: false });
    expect(full.index.manifest.provisional).toBeUndefined();
    expect((await ingest(workspace)).report.upToDate).toBe(true);

    // The same vectors as an ingest of the whole library in one go.
    const reference = sampleWorkspace();
    const whole = await ingest(reference);
    expect(full.index.documents).toEqual(whole.index.documents);
    const got = rows(full.index);
    const want = rows(whole.index);
    expect(got).toHaveLength(want.length);
    const worst = Math.min(...got.map((row, i) => cosine(row, want[i] as Float32Array)));
    expect(worst).toBeGreaterThanOrEqual(0.999);
    // What the full ingest changed is the added document's sentences, read in context before, and
    // most of them: the passage's run really was read sentence by sentence.
    const redone = rows(quick.index).filter((row, i) => cosine(row, got[i] as Float32Array) < 0.999).length;
    expect(redone).toBeGreaterThan(sentences / 2);
    expect(redone).toBeLessThanOrEqual(sentences);
  });
});

describe('a server library left with a quick add unfinished (the bot stopped before its sentences)', () => {
  it('opens at once from the provisional vectors, embedding nothing, and is finished in the background', async () => {
    const workspace = sampleWorkspace();
    const serverId = '100000000000000007';
    const serverDir = path.join(workspace.root, 'servers', serverId);
    mkdirSync(path.join(serverDir, 'corpus'), { recursive: true });
    copyFileSync(path.join(workspace.corpusDir, ADDED), path.join(serverDir, 'corpus', ADDED));
    // What a quick add leaves when the process dies before its second half.
    await updateIndex({ corpusDir: path.join(serverDir, 'corpus'), indexDir: path.join(serverDir, 'index'), maxFileBytes: 10_000_000, embedder, logger, provisional: true });

    const core = loadCoreConfig({ corpusDir: workspace.corpusDir, indexDir: workspace.indexDir, modelId: MODEL });
    const base = new LibraryState(await openWitness(core, logger, { model: Promise.resolve(embedder) }), core, logger);
    const finishing: [string, LibraryState][] = [];
    const libraries = new ServerLibraries(base, { root: path.join(workspace.root, 'servers'), budgetBytes: 1 << 30, limits: { documents: 10, bytes: 1 << 24 }, core, logger, finishProvisional: (id, state) => finishing.push([id, state]) });
    const own = (await libraries.server(serverId)) as LibraryState;
    expect(own.current.report).toMatchObject({ upToDate: true, textsEmbedded: 0, provisional: 1 });
    expect(finishing).toEqual([[serverId, own]]);
    const answer = await own.current.answerer.ask('How many children are trapped in Mosul according to Save the Children?', { k: 1 });
    expect(answer.results[0]?.quote).toContain('600,000 children');

    await own.finishProvisional(new WorkQueue(4), logger);
    expect(own.current.report).toMatchObject({ upToDate: false, provisional: 0, embedded: 0 });
    expect(own.current.report.textsEmbedded).toBeGreaterThan(0);
  });
});
