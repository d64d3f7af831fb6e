import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKOUT_ROOT, PROJECT_ROOT } from '../config.js';

const SOURCE_FOLDERS = ['src', 'commands'];

function newestSource(dir: string, newerThan: number): string | null {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = newestSource(full, newerThan);
      if (found) return found;
    } else if (entry.name.endsWith('.ts') && statSync(full).mtimeMs > newerThan) {
      return full;
    }
  }
  return null;
}

/**
 * When the compiled CLI runs from dist/ inside a checkout, names a TypeScript source edited
 * after the build (so the answer would come from old code). About a millisecond; null otherwise.
 */
export function staleBuildWarning(entryUrl: string): string | null {
  if (!entryUrl.endsWith('.js') || CHECKOUT_ROOT === PROJECT_ROOT) return null;
  let builtAt: number;
  try {
    builtAt = statSync(fileURLToPath(entryUrl)).mtimeMs;
  } catch {
    return null;
  }
  for (const folder of SOURCE_FOLDERS) {
    const newer = newestSource(path.join(CHECKOUT_ROOT, folder), builtAt);
    if (newer) return `${path.relative(CHECKOUT_ROOT, newer)} changed after the last build; run \`npm run build\` (this run uses the code in dist/)`;
  }
  return null;
}
