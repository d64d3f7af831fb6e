// One question set on one library, as the tuning scripts name it: FILE (the bundled library) or
// FILE=CORPUS_DIR,INDEX_DIR. Shared by fit-ranking.ts and sweep-settings.ts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvalQuestion } from '../src/eval/eval-set.js';
import type { Passage } from '../src/search/library.js';
import { loadCoreConfig, PROJECT_ROOT, type CoreConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { openWitness, type Witness } from '../src/witness.js';

/** `quick`: documents not yet in the index are added as a quick /library add adds them (provisional sentence vectors), and provisional ones are left so. */
export async function openTuningSet(spec: string, options: { quick?: boolean } = {}): Promise<{ file: string; config: CoreConfig; witness: Witness }> {
  const [file, where] = spec.split('=') as [string, string | undefined];
  const [corpusDir, indexDir] = where ? where.split(',') : [path.join(PROJECT_ROOT, 'corpus'), path.join(PROJECT_ROOT, 'index')];
  const config = loadCoreConfig({ corpusDir, indexDir });
  return { file, config, witness: await openWitness(config, createLogger('warn'), { provisional: options.quick === true }) };
}

/** Repeatable string option for commander. */
export const collect = (value: string, all: string[]): string[] => [...all, value];

/** A gold quote's place in its file. */
export interface GoldPlace {
  sourceId: string;
  start: number;
  end: number;
}

/** Every place each gold quote of a question stands in its file (a quote a file repeats counts everywhere). */
export async function goldPlaces(corpusDir: string, question: EvalQuestion, texts: Map<string, string>): Promise<GoldPlace[]> {
  const places: GoldPlace[] = [];
  for (const answer of question.answers) {
    let text = texts.get(answer.doc);
    if (text === undefined) texts.set(answer.doc, (text = await readFile(path.join(corpusDir, answer.doc), 'utf8')));
    for (let at = text.indexOf(answer.quote); at >= 0; at = text.indexOf(answer.quote, at + 1)) places.push({ sourceId: answer.doc, start: at, end: at + answer.quote.length });
  }
  return places;
}

/** Whether a passage holds part of a gold quote. */
export function holdsGold(passage: Passage, gold: readonly GoldPlace[]): boolean {
  return gold.some((g) => g.sourceId === passage.document.sourceId && passage.chunk.start < g.end && g.start < passage.chunk.end);
}
