import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { VectorSet } from './vector-bench.js';

export type PeerFigures = Record<string, unknown>;

const asBytes = (data: Float32Array): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** Writes the inputs scripts/bench/peers.py reads: the same texts and vectors Witness used. */
export function exportPeerInputs(work: string, texts: string[], vectors: VectorSet, queries: VectorSet, options: { efSearch: number[]; embeddingLimit: number }): void {
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, 'passages.jsonl'), texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  writeFileSync(path.join(work, 'vectors.f32'), asBytes(vectors.data));
  writeFileSync(path.join(work, 'queries.f32'), asBytes(queries.data));
  writeFileSync(
    path.join(work, 'meta.json'),
    JSON.stringify({ n: vectors.count, q: queries.count, dim: vectors.dimension, m: 16, efConstruction: 200, efSearch: options.efSearch, k: 10, embeddingBatchSize: 16, embeddingLimit: options.embeddingLimit }),
  );
}

export function runPeers(python: string, work: string): PeerFigures {
  const script = path.join(import.meta.dirname, 'peers.py');
  const run = spawnSync(python, [script, '--work', work], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, HF_HUB_OFFLINE: '1' } });
  if (run.status !== 0) throw new Error(`the Python peers failed (exit ${String(run.status)}); see scripts/bench/README.md`);
  return JSON.parse(readFileSync(path.join(work, 'peers.json'), 'utf8')) as PeerFigures;
}
