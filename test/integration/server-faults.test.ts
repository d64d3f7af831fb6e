import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCoreConfig, type CoreConfig } from '../../src/config.js';
import { UserError } from '../../src/discord/errors.js';
import { LibraryState } from '../../src/discord/library-state.js';
import { ServerLibraries } from '../../src/discord/server-libraries.js';
import { FILES } from '../../src/store/index-format.js';
import { openWitness } from '../../src/witness.js';
import { standInEmbedder, STAND_IN_MODEL_ID } from '../helpers/stand-in-embedder.js';

/**
 * One server's library damaged on disk, the way a crash or a bad hand edit leaves it: that server
 * recovers (or says plainly it cannot open), and no other server's library is touched. Each
 * "restart" is a new ServerLibraries over the same folders, as a new bot process would be. The
 * model is the test stand-in (this is about files, not relevance).
 */
const A = '100000000000000001';
const B = '100000000000000002';
const logger = pino({ level: 'silent' });
const embedder = standInEmbedder();
const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

async function restart(root: string): Promise<ServerLibraries> {
  const corpusDir = path.join(root, 'base-corpus');
  mkdirSync(corpusDir, { recursive: true });
  writeFileSync(path.join(corpusDir, 'base.txt'), 'The Base Notes\n\nThe base library describes the harbour and its lighthouse in plain words.\n');
  const core: CoreConfig = loadCoreConfig({ corpusDir, indexDir: path.join(root, 'base-index'), modelId: STAND_IN_MODEL_ID });
  const base = new LibraryState(await openWitness(core, logger, { model: Promise.resolve(embedder) }), core, logger);
  return new ServerLibraries(base, { root: path.join(root, 'servers'), budgetBytes: 1 << 30, limits: { documents: 10, bytes: 1 << 20 }, core, logger });
}

/** Two servers, each with one document of its own, indexed. */
async function twoServers(): Promise<{ root: string; libraries: ServerLibraries }> {
  const root = mkdtempSync(path.join(tmpdir(), 'witness-server-faults-'));
  roots.push(root);
  const libraries = await restart(root);
  for (const [id, words] of [
    [A, 'The harbour ledger of server A records forty lanterns.'],
    [B, 'The orchard almanac of server B records nine hundred crates of quince.'],
  ] as const) {
    const state = (await libraries.server(id, true)) as LibraryState;
    writeFileSync(path.join(state.corpusDir, 'own.txt'), `Notes of this server\n\n${words}\n`);
    await state.reindex();
  }
  return { root, libraries };
}

const indexDir = (root: string, id: string): string => path.join(root, 'servers', id, 'index');
const current = (root: string, id: string): string => readFileSync(path.join(indexDir(root, id), 'CURRENT'), 'utf8').trim();

async function answers(libraries: ServerLibraries, id: string, question: string): Promise<string[]> {
  const own = await libraries.server(id);
  const answer = await own?.current.answerer.ask(question, { k: 3 });
  return answer?.results.map((r) => r.quote) ?? [];
}

describe('a damaged server library', () => {
  it('rebuilds from its documents after its index is corrupted, leaving the other server as it was', async () => {
    const { root } = await twoServers();
    const before = current(root, B);
    writeFileSync(path.join(indexDir(root, A), current(root, A), FILES.vectors), 'garbage');
    const libraries = await restart(root);
    expect((await answers(libraries, A, 'How many lanterns does the harbour ledger record?')).join(' ')).toContain('forty lanterns');
    expect(current(root, B)).toBe(before);
    expect((await answers(libraries, B, 'How many crates of quince?')).join(' ')).toContain('nine hundred crates');
  });

  it('indexes a document saved just before the process died, and drops the half-written index', async () => {
    const { root } = await twoServers();
    const before = current(root, B);
    // What a kill between saving an upload and publishing the new index leaves behind.
    writeFileSync(path.join(root, 'servers', A, 'corpus', 'late.txt'), 'A late note\n\nThe late note of server A mentions a copper bell in the tower.\n');
    mkdirSync(path.join(indexDir(root, A), 'gen-zzzzzz-deadbeef'));
    writeFileSync(path.join(indexDir(root, A), 'gen-zzzzzz-deadbeef', FILES.vectors), 'half');
    const libraries = await restart(root);
    expect((await answers(libraries, A, 'What does the late note mention in the tower?')).join(' ')).toContain('copper bell');
    expect((await libraries.server(A))?.current.library.documents.map((d) => d.sourceId).sort()).toEqual(['late.txt', 'own.txt']);
    expect(current(root, B)).toBe(before);
  });

  it('falls back to the default settings when its settings file is unreadable', async () => {
    const { root } = await twoServers();
    writeFileSync(path.join(root, 'servers', A, 'settings.json'), '{not json');
    const libraries = await restart(root);
    await libraries.updateSettings(B, { base: false });
    expect(await libraries.settings(A)).toEqual({ base: true });
    expect((await libraries.scope(A)).map((s) => s.label)).toEqual(['server', 'base']);
    expect((await libraries.scope(B)).map((s) => s.label)).toEqual(['server']);
  });

  it('says plainly that a server library cannot be opened, while the base library and other servers still answer', async () => {
    const { root } = await twoServers();
    // The corpus folder replaced by a file: nothing of this server can be read.
    rmSync(path.join(root, 'servers', A, 'corpus'), { recursive: true });
    writeFileSync(path.join(root, 'servers', A, 'corpus'), 'not a folder');
    const libraries = await restart(root);
    await expect(libraries.scope(A)).rejects.toThrow(UserError);
    await expect(libraries.scope(A)).rejects.toThrow("This server's library could not be opened");
    expect((await answers(libraries, B, 'How many crates of quince?')).join(' ')).toContain('nine hundred crates');
    const base = await libraries.base.current.answerer.ask('What does the base library describe?', { k: 3 });
    expect(base.results.length).toBeGreaterThan(0);
  });
});
