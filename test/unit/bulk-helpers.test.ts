import { describe, expect, it } from 'vitest';
import { BulkHelpers, type HelperClient } from '../../src/embed/bulk-helpers.js';

/** A stand-in for a model worker's client (test only): it can die, and counts its stops. */
class FakeClient implements HelperClient {
  failed = false;
  stops = 0;
  constructor(readonly id: number) {}
  stop(): Promise<void> {
    this.stops++;
    return Promise.resolve();
  }
}

function helpers(count: number, idleMs = 60_000): { pool: BulkHelpers<FakeClient>; made: FakeClient[] } {
  const made: FakeClient[] = [];
  const pool = new BulkHelpers<FakeClient>(
    count,
    () => {
      const client = new FakeClient(made.length);
      made.push(client);
      return Promise.resolve(client);
    },
    idleMs,
  );
  return { pool, made };
}

describe('the extra model workers of bulk embedding', () => {
  it('starts them on first use and gives the same live one to every batch', async () => {
    const { pool, made } = helpers(2);
    expect(made).toHaveLength(0);
    const a = await pool.get(0);
    expect(await pool.get(0)).toBe(a);
    expect(made).toHaveLength(2);
  });

  it('starts a helper that died again for the next job, once however many batches ask at the same time, and stops the dead one', async () => {
    const { pool, made } = helpers(1);
    const first = await pool.get(0);
    first.failed = true;
    const [x, y, z] = await Promise.all([pool.get(0), pool.get(0), pool.get(0)]);
    expect(x).not.toBe(first);
    expect(y).toBe(x);
    expect(z).toBe(x);
    expect(made).toHaveLength(2);
    expect(first.stops).toBe(1);
    expect(x.failed).toBe(false);
  });

  it('starts a helper again when its start failed', async () => {
    let attempts = 0;
    const pool = new BulkHelpers<FakeClient>(1, () => (++attempts === 1 ? Promise.reject(new Error('model missing')) : Promise.resolve(new FakeClient(attempts))));
    expect((await pool.get(0)).id).toBe(2);
    expect(attempts).toBe(2);
  });

  it('stops every helper once no job has run for the idle time, and starts fresh ones after', async () => {
    const { pool, made } = helpers(2, 20);
    await pool.during(async () => {
      await pool.get(0);
      await pool.get(1);
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(made.map((client) => client.stops)).toEqual([1, 1]);
    await pool.get(0);
    expect(made).toHaveLength(4);
  });
});
