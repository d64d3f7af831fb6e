import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { processMemoryMB } from '../load/rss.js';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function summarize(samples: number[]): { p50: number; p95: number; p99: number; mean: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    n: sorted.length,
  };
}

/** Bytes of the files under `dir` (only those `keep` accepts, by full path). */
export function directoryBytes(dir: string, keep: (file: string) => boolean = () => true): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full, keep);
    else if (keep(full)) total += statSync(full).size;
  }
  return total;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same queries. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Peak RSS of this process. On Linux, from /proc (VmHWM): getrusage's maxRSS of a spawned child
 * starts at its parent's RSS at the time of the fork, so a big parent (the bench, with its own
 * model and index loaded) would hide a smaller child's peak.
 */
export function peakRssMB(): number {
  return processMemoryMB(process.pid)?.peak ?? process.resourceUsage().maxRSS / 1024;
}
