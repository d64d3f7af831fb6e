// Mutations of a document's bytes for the extraction fuzz run (scripts/fuzz/extract-fuzz.ts and
// test/integration/extract-fuzz.test.ts): flipped bytes, a truncation, a repeated section, or,
// for a Word file, one zip entry cut short. Deterministic for a seed.

/** The seeded generator the benchmarks use (mulberry32), so a run can be repeated. */
export { seededRandom as random } from '../bench/measure.js';

export type Mutation = 'flip' | 'truncate' | 'repeat' | 'zip-entry';

/** `bytes` changed one way, chosen by `next`; returns the new bytes and how they were changed. */
export function mutate(bytes: Buffer, next: () => number): { bytes: Buffer; mutation: Mutation } {
  const at = (n: number): number => Math.floor(next() * n);
  const kinds: Mutation[] = ['flip', 'truncate', 'repeat'];
  // A zip (Word) file: its entries' data are cut where a local header says they are.
  if (bytes.subarray(0, 2).toString('latin1') === 'PK') kinds.push('zip-entry');
  const mutation = kinds[at(kinds.length)] as Mutation;
  const out = Buffer.from(bytes);
  if (mutation === 'flip') {
    const count = 1 + at(32);
    for (let i = 0; i < count; i++) {
      const where = at(out.length);
      out[where] = (out[where] ?? 0) ^ (1 + at(255));
    }
    return { bytes: out, mutation };
  }
  if (mutation === 'truncate') return { bytes: out.subarray(0, at(out.length)), mutation };
  if (mutation === 'repeat') {
    const start = at(out.length);
    const length = Math.min(out.length - start, 1 + at(4096));
    const where = at(out.length);
    return { bytes: Buffer.concat([out.subarray(0, where), out.subarray(start, start + length), out.subarray(where)]), mutation };
  }
  // zip-entry: zero a stretch inside one local file entry's compressed data.
  const headers: number[] = [];
  for (let i = out.indexOf('PK\x03\x04', 0, 'latin1'); i >= 0; i = out.indexOf('PK\x03\x04', i + 4, 'latin1')) headers.push(i);
  const header = headers[at(headers.length)] ?? 0;
  const nameLength = out.readUInt16LE(header + 26);
  const extraLength = out.readUInt16LE(header + 28);
  const dataStart = header + 30 + nameLength + extraLength;
  const size = out.readUInt32LE(header + 18);
  const from = dataStart + at(Math.max(1, size));
  out.fill(0, Math.min(from, out.length), Math.min(from + 1 + at(256), out.length));
  return { bytes: out, mutation };
}
