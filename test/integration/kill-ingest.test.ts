import { describe, expect, it } from 'vitest';
import { ASKED_DOCUMENT, CHANGED_DOCUMENT, killIngestLoop } from '../../scripts/faults/kill-ingest.js';

/**
 * The CI-sized version of `scripts/faults/kill-ingest.ts` (same loop): the real `witness ingest`
 * on a two-document copy of the corpus, starting from one complete index, SIGKILLed at five
 * seeded random points (rounds 2 and 4 0–60 ms after the new generation folder appears, i.e.
 * while the index files are written). After each kill, what the next start would load must be an
 * index a complete build made, never a half-written one; then a real `witness ask` must answer.
 */
const ROUNDS = 5;
const SEED = 23;

describe('kill -9 during ingest (CI-sized)', () => {
  it(`after ${String(ROUNDS)} SIGKILLs at seeded random points the next start serves a complete index, never a half-written one, and ask answers`, async () => {
    const lines: string[] = [];
    const report = await killIngestLoop(ROUNDS, SEED, (line) => lines.push(line), { documents: [ASKED_DOCUMENT, CHANGED_DOCUMENT], askEvery: ROUNDS, inWriteEvery: 2, startWithIndex: true });
    const story = lines.join('\n');
    expect(report.failures, story).toEqual([]);
    // It cannot pass with nothing killed: most rounds must have died under the kill.
    expect(report.killed, story).toBeGreaterThanOrEqual(3);
    // A complete index existed before the first kill, so every round must have served one.
    expect(report.servedComplete, story).toBe(ROUNDS);
    expect(report.askChecks).toBe(1);
    console.log(
      `kill-ingest: ${String(report.killed)} of ${String(ROUNDS)} rounds killed (${String(report.killedWhileWriting)} while writing), ${String(report.finished)} finished first; ` +
        `served a complete index ${String(report.servedComplete)}, no index yet ${String(report.noIndexYet)}; up to ${String(report.maxGenerationFolders)} generation folders on disk; ` +
        `an uninterrupted rebuild took ${report.fullRunSeconds.toFixed(1)} s`,
    );
  }, 300_000);
});
