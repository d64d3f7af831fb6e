import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { sampleWorkspace } from '../helpers/fixtures.js';
import { standInEmbedder } from '../helpers/stand-in-embedder.js';

/**
 * Disk full or a read-only index folder during ingest: every write the store makes is made to
 * fail in turn (ENOSPC for files, EACCES for the new generation folder, EROFS for the rename
 * that publishes it). Each time the ingest fails with a clear error naming the folder and the
 * cause, the previous index stays live and loadable, and no half-written generation is left.
 * (Tests run as root here, so chmod cannot make a folder read-only; the failures are injected.)
 */

const failure = vi.hoisted(() => ({ countdown: -1, calls: [] as string[] }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const failing = <T extends (...args: never[]) => Promise<unknown>>(name: string, fn: T, code: string): T =>
    (async (...args: Parameters<T>) => {
      const target = String(args[0]);
      if (target.includes('witness-test-') && target.includes(`${path.sep}index`)) {
        failure.calls.push(`${name} ${path.basename(target)}`);
        if (failure.countdown === 0) {
          failure.countdown = -1;
          throw Object.assign(new Error(`${code}: simulated failure, ${name} '${target}'`), { code, syscall: name, path: target });
        }
        if (failure.countdown > 0) failure.countdown--;
      }
      return fn(...args);
    }) as T;
  return {
    ...real,
    default: real,
    writeFile: failing('write', real.writeFile, 'ENOSPC'),
    mkdir: failing('mkdir', real.mkdir, 'EACCES'),
    rename: failing('rename', real.rename, 'EROFS'),
  };
});

const { updateIndex } = await import('../../src/ingest/update-index.js');
const { loadIndex } = await import('../../src/store/index-store.js');
const { POINTER_FILE } = await import('../../src/store/index-format.js');

const embedder = standInEmbedder();
const logger = pino({ level: 'silent' });

describe('a write failure while ingesting', () => {
  it('fails clearly at every write point and leaves the previous index live', async () => {
    const workspace = sampleWorkspace();
    const ingest = () => updateIndex({ ...workspace, maxFileBytes: 10_000_000, embedder, logger });
    const first = await ingest();
    const live = readFileSync(path.join(workspace.indexDir, POINTER_FILE), 'utf8');

    // Count the store's writes in one successful ingest, so every one of them can be failed.
    appendFileSync(path.join(workspace.corpusDir, '000_93204e62e34d1ad1.txt'), '\n\nA paragraph added so that the next ingest has to write.\n');
    failure.calls = [];
    await ingest();
    const writePoints = failure.calls.length;
    expect(writePoints).toBeGreaterThanOrEqual(5);
    const published = readFileSync(path.join(workspace.indexDir, POINTER_FILE), 'utf8');
    expect(published).not.toBe(live);
    const passages = (await loadIndex(workspace.indexDir, { modelId: embedder.modelId })).ok;
    expect(passages).toBe(true);

    const points = [...failure.calls];
    let failed = 0;
    for (let point = 0; point < writePoints; point++) {
      appendFileSync(path.join(workspace.corpusDir, '001_f9e13c605d763562.txt'), `\n\nAnother added paragraph, number ${String(point)}, so there is new work.\n`);
      const before = readFileSync(path.join(workspace.indexDir, POINTER_FILE), 'utf8');
      const beforeLoad = await loadIndex(workspace.indexDir, { modelId: embedder.modelId });
      failure.countdown = point;
      const error = (await ingest().then(
        () => null,
        (e: unknown) => e,
      )) as (Error & { code?: string }) | null;
      // Removing an old generation after the new one is live is not a write of the new index.
      if (error === null) continue;
      failed++;
      expect(error.name).toBe('IndexWriteError');
      expect(error.message).toContain(workspace.indexDir);
      expect(error.message).toMatch(/\((ENOSPC|EACCES|EROFS)\); the previous index, if any, is still the one in use\./u);
      expect(readFileSync(path.join(workspace.indexDir, POINTER_FILE), 'utf8')).toBe(before);
      const after = await loadIndex(workspace.indexDir, { modelId: embedder.modelId });
      expect(after.ok).toBe(true);
      if (after.ok && beforeLoad.ok) expect(after.index.manifest.chunkCount).toBe(beforeLoad.index.manifest.chunkCount);
      expect(readdirSync(workspace.indexDir).filter((name) => name.startsWith('gen-') || name.endsWith('.tmp'))).toEqual([before.trim()]);
    }
    failure.countdown = -1;
    expect(failed, points.join(', ')).toBeGreaterThanOrEqual(writePoints - 2);
    // Space is back: the next ingest catches up.
    const recovered = await ingest();
    expect(recovered.report.upToDate).toBe(false);
    expect(recovered.report.documents).toBe(first.report.documents);
  });
});
