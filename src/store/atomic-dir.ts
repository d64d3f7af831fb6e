import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { POINTER_FILE } from './index-format.js';

/**
 * An index is a set of files in a generation folder (`gen-…`); the `CURRENT` file names the
 * live one. A new generation is written in full, flushed, then `CURRENT` is replaced by rename,
 * so a crash at any point leaves the previous generation live and complete.
 */
export async function newGenerationDir(indexDir: string): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  const name = `gen-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const dir = path.join(indexDir, name);
  await mkdir(dir);
  return dir;
}

async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncFiles(dir: string): Promise<void> {
  for (const name of await readdir(dir)) await fsyncPath(path.join(dir, name));
  await fsyncPath(dir);
}

/** Makes `generationDir` the live index, then removes every other generation. */
export async function publishGeneration(indexDir: string, generationDir: string): Promise<void> {
  await syncFiles(generationDir);
  const pointer = path.join(indexDir, POINTER_FILE);
  const temp = `${pointer}.${process.pid}.tmp`;
  await writeFile(temp, `${path.basename(generationDir)}\n`);
  await fsyncPath(temp);
  await rename(temp, pointer);
  await fsyncPath(indexDir);
  await removeStaleGenerations(indexDir, path.basename(generationDir));
}

export async function readPointer(indexDir: string): Promise<string | null> {
  try {
    const name = (await readFile(path.join(indexDir, POINTER_FILE), 'utf8')).trim();
    return /^gen-[a-z0-9]+-[a-f0-9]+$/u.test(name) ? name : null;
  } catch {
    return null;
  }
}

export async function removeStaleGenerations(indexDir: string, keep: string | null): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(indexDir);
  } catch {
    return;
  }
  for (const name of entries) {
    const stale = (name.startsWith('gen-') && name !== keep) || name.endsWith('.tmp');
    if (stale) await rm(path.join(indexDir, name), { recursive: true, force: true });
  }
}
