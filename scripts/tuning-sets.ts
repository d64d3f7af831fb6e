// One question set on one library, as the tuning scripts name it: FILE (the bundled library) or
// FILE=CORPUS_DIR,INDEX_DIR. Shared by fit-ranking.ts and sweep-settings.ts.
import path from 'node:path';
import { loadCoreConfig, PROJECT_ROOT, type CoreConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { openWitness, type Witness } from '../src/witness.js';

export async function openTuningSet(spec: string): Promise<{ file: string; config: CoreConfig; witness: Witness }> {
  const [file, where] = spec.split('=') as [string, string | undefined];
  const [corpusDir, indexDir] = where ? where.split(',') : [path.join(PROJECT_ROOT, 'corpus'), path.join(PROJECT_ROOT, 'index')];
  const config = loadCoreConfig({ corpusDir, indexDir });
  return { file, config, witness: await openWitness(config, createLogger('warn')) };
}

/** Repeatable string option for commander. */
export const collect = (value: string, all: string[]): string[] => [...all, value];
