import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

/** A private copy of the bundled sample library and an empty index folder for one test file. */
export function sampleWorkspace(): { corpusDir: string; indexDir: string; root: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'witness-test-'));
  const corpusDir = path.join(root, 'corpus');
  cpSync(path.join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
  return { corpusDir, indexDir: path.join(root, 'index'), root };
}
