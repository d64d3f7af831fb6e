import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../../src/config.js';
import { LibraryState } from '../../src/discord/library-state.js';
import { ServerLibraries } from '../../src/discord/server-libraries.js';
import { mergeAnswers } from '../../src/search/ask-across.js';
import { openWitness } from '../../src/witness.js';
import { standInEmbedder, STAND_IN_MODEL_ID } from '../helpers/stand-in-embedder.js';

/**
 * Random interleavings of add, remove and ask across five servers never show one server's
 * passage in another server's answer. The real chunker, indexes on disk, ranking and per-server
 * folders; the model is the test stand-in (this is about who sees what, not about relevance).
 * The memory budget is one byte, so every server library is closed and opened again between
 * uses: reopening must not mix libraries either.
 */
const SERVERS = ['100000000000000001', '100000000000000002', '100000000000000003', '100000000000000004', '100000000000000005'];
const DOCUMENTS = 3;
const logger = pino({ level: 'silent' });
const embedder = standInEmbedder();

/** A word only this server's document holds, so any passage carrying it is that document's. */
const token = (server: number, doc: number): string => `zq${String(server)}v${String(doc)}marker`;
const documentText = (server: number, doc: number): string =>
  `Ledger ${token(server, doc)} of the harbour\n\nThe keeper wrote ${token(server, doc)} in the ledger after the storm passed over the harbour walls.\n\nA second note about ${token(server, doc)} and the lighthouse lamp.\n`;

type Op = { kind: 'add' | 'remove' | 'ask'; server: number; doc: number; asker: number };
const op = fc.record({ kind: fc.constantFrom<Op['kind']>('add', 'remove', 'ask', 'ask'), server: fc.nat(SERVERS.length - 1), doc: fc.nat(DOCUMENTS - 1), asker: fc.nat(SERVERS.length - 1) });

async function setUp(): Promise<{ libraries: ServerLibraries; root: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'witness-servers-'));
  const corpusDir = path.join(root, 'base-corpus');
  mkdirSync(corpusDir);
  writeFileSync(path.join(corpusDir, 'base.txt'), 'The Base Notes\n\nThe base library describes the harbour and its lighthouse in plain words.\n');
  const core = loadCoreConfig({ corpusDir, indexDir: path.join(root, 'base-index'), modelId: STAND_IN_MODEL_ID });
  const base = new LibraryState(await openWitness(core, logger, { model: Promise.resolve(embedder) }), core, logger);
  const libraries = new ServerLibraries(base, {
    root: path.join(root, 'servers'),
    budgetBytes: 1,
    limits: { documents: 100, bytes: 10 * 1024 * 1024 },
    core,
    logger,
    open: (config, model, guild) => openWitness(config, logger, { model: Promise.resolve(model), guild }),
  });
  return { libraries, root };
}

describe('one library per server', () => {
  it('no interleaving of add, remove and ask across 5 servers shows one server’s passage in another’s answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
        const { libraries, root } = await setUp();
        const held = SERVERS.map(() => new Set<number>());
        try {
          for (const { kind, server, doc, asker } of ops) {
            const id = SERVERS[server] as string;
            if (kind === 'add' && !held[server]?.has(doc)) {
              const state = (await libraries.server(id, true)) as LibraryState;
              writeFileSync(path.join(state.corpusDir, `doc-${String(doc)}.txt`), documentText(server, doc));
              await state.reindex();
              await libraries.measure(id);
              held[server]?.add(doc);
            } else if (kind === 'remove' && held[server]?.has(doc)) {
              await libraries.remove(id, `doc-${String(doc)}.txt`);
              held[server]?.delete(doc);
            } else if (kind === 'ask') {
              // The asker's server asks for a document of `server` by its own marker word.
              const askerId = SERVERS[asker] as string;
              const question = `What did the keeper write about ${token(server, doc)} in the ledger?`;
              const scope = await libraries.scope(askerId);
              const answers = [];
              for (const { label, state } of scope) answers.push({ label, answer: await state.current.answerer.ask(question, { k: 10 }) });
              const answer = mergeAnswers(question, answers, 10);
              for (const result of answer.results) {
                if (result.library === 'base') {
                  expect(result.sourceId).toBe('base.txt');
                  continue;
                }
                expect(result.library).toBe('server');
                const [, shownDoc] = /^doc-(\d)\.txt$/u.exec(result.sourceId) ?? [];
                // Only the asker's own documents, as they stand now.
                expect(held[asker]?.has(Number(shownDoc))).toBe(true);
                for (let other = 0; other < SERVERS.length; other++) {
                  if (other !== asker) for (let d = 0; d < DOCUMENTS; d++) expect(result.quote).not.toContain(token(other, d));
                }
              }
              // The asker's own document, when it holds it, is found.
              if (asker === server && held[server]?.has(doc)) expect(answer.results.some((r) => r.library === 'server' && r.quote.includes(token(server, doc)))).toBe(true);
            }
          }
          // Each server's folder holds exactly the documents it added and did not remove.
          SERVERS.forEach((id, server) => {
            let files: string[];
            try {
              files = readdirSync(path.join(root, 'servers', id, 'corpus'));
            } catch {
              files = [];
            }
            expect(files.sort()).toEqual([...(held[server] ?? [])].sort().map((d) => `doc-${String(d)}.txt`));
          });
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 12 },
    );
  }, 180_000);
});
