import { describe, expect, it } from 'vitest';
import { batchedByLength, inLanes } from '../../src/embed/common.js';
import { duration, pace } from '../../src/ingest/pace.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('bulk embedding in lanes (one model session per core)', () => {
  it('gives every text its own vector, in the order given, whichever lane ran it and however long it took', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => 'x'.repeat((i * 7) % 23) + String(i));
    const lanesUsed = new Set<number>();
    const progress: number[] = [];
    const shares: number[] = [];
    // A stand-in for the model: each "vector" holds its text's length and number, after a random wait.
    const run = batchedByLength(
      4,
      async (batch, lane) => {
        lanesUsed.add(lane);
        await pause(Math.random() * 5);
        return batch.map((text) => Float32Array.of(text.length, Number(/\d+$/u.exec(text)?.[0])));
      },
      3,
    );
    const vectors = await run(texts, (done, share) => {
      progress.push(done);
      shares.push(share);
    });
    vectors.forEach((vector, i) => expect([...vector]).toEqual([(texts[i] as string).length, i]));
    expect([...lanesUsed].sort()).toEqual([0, 1, 2]);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(50);
    // The share of the work counts length: the short texts go first, so it trails the count of texts until the end.
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(shares.at(-1)).toBeCloseTo(1, 10);
    expect(shares[0]).toBeLessThan((progress[0] as number) / 50);
  });

  it('tells the rate and the time left from the share of the work done, in words a person reads', () => {
    expect(pace(0, 0, 0)).toEqual({ rate: '–', left: '–' });
    expect(pace(300, 0.25, 10)).toEqual({ rate: '30', left: '30 s' });
    expect(pace(1000, 0.1, 60)).toEqual({ rate: '17', left: '9 min' });
    expect(duration(6000)).toBe('1 h 40 min');
  });

  it('stops handing out work when one lane fails, and reports the failure', async () => {
    const started: number[] = [];
    const work = inLanes(20, 2, async (job) => {
      started.push(job);
      await pause(1);
      if (job === 3) throw new Error('the model worker stopped');
    });
    await expect(work).rejects.toThrow('the model worker stopped');
    await pause(20);
    expect(Math.max(...started)).toBeLessThanOrEqual(5);
  });
});
