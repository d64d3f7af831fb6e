// scripts/build-hnswlib.mjs (run by `prepare`) in the two cases that must not compile anything:
// the user asked for npm's portable build, or this CPU's build is already in place. Both read the
// installed addon and must leave it byte for byte as it was.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const packageDir = path.dirname(createRequire(import.meta.url).resolve('hnswlib-node/package.json'));
const addon = path.join(packageDir, 'build', 'Release', 'addon.node');
const stamp = path.join(packageDir, 'build', 'witness-flags.json');

function run(env: Record<string, string>) {
  const before = { bytes: readFileSync(addon), mtime: statSync(addon).mtimeMs };
  const started = performance.now();
  const result = spawnSync(process.execPath, ['scripts/build-hnswlib.mjs'], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  expect(readFileSync(addon).equals(before.bytes)).toBe(true);
  expect(statSync(addon).mtimeMs).toBe(before.mtime);
  return { ...result, seconds, lines: result.stderr.trim().split('\n') };
}

describe('build-hnswlib', () => {
  it('keeps the installed addon when WITNESS_PORTABLE_HNSWLIB=1, and says so in one line', () => {
    const result = run({ WITNESS_PORTABLE_HNSWLIB: '1' });
    expect(result.status).toBe(0);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/^build-hnswlib: skipped: WITNESS_PORTABLE_HNSWLIB=1/);
  });

  // The stamp exists when `npm ci` compiled the addon for this machine (Linux x86-64 with a compiler).
  it.skipIf(!existsSync(stamp))('does not compile again when this CPU’s build is already in place', () => {
    const result = run({ WITNESS_PORTABLE_HNSWLIB: '' });
    expect(result.status).toBe(0);
    expect(result.lines).toEqual([expect.stringMatching(/^build-hnswlib: skipped: hnswlib-node was already compiled for this CPU/)]);
    expect(result.seconds).toBeLessThan(5);
  });
});
