import type { Answer, AnswerResult, Citation } from './answer-types.js';

/** One library's answer to a question, with the label its citations will carry ("server", "base"). */
export interface LibraryAnswer {
  label: string;
  answer: Answer;
}

const labelled = <T extends Citation>(citation: T, label: string): T => ({ ...citation, library: label });

function labelResults(results: readonly AnswerResult[], label: string): AnswerResult[] {
  return results.map((result) => ({ ...labelled(result, label), corroboratedBy: result.corroboratedBy.map((c) => labelled(c, label)) }));
}

/**
 * One answer from the answers of several libraries searched for the same question (a server's
 * own library and the base library). Every citation says which library it comes from.
 *
 * - If any library answers, the answer is theirs: their results merged by ranking score (the
 *   same ranking, with the same weights, scored them), at most `k`.
 * - Otherwise, if any found related passages that do not state the answer, that answer, with
 *   the reason of the library whose first result scored best.
 * - Otherwise not in the library, naming the closest sources of all of them.
 */
export function mergeAnswers(question: string, answers: readonly LibraryAnswer[], k: number): Answer {
  const byScore = (a: AnswerResult, b: AnswerResult): number => b.score - a.score;
  const answered = answers.filter(({ answer }) => answer.outcome === 'answered');
  if (answered.length > 0) {
    const results = answered.flatMap(({ label, answer }) => labelResults(answer.results, label)).sort(byScore).slice(0, k);
    return { question, answered: true, outcome: 'answered', results, closest: [] };
  }
  const related = answers.filter(({ answer }) => answer.outcome === 'not_stated');
  if (related.length > 0) {
    const best = [...related].sort((a, b) => (b.answer.results[0]?.score ?? -Infinity) - (a.answer.results[0]?.score ?? -Infinity))[0] as LibraryAnswer;
    const results = related.flatMap(({ label, answer }) => labelResults(answer.results, label)).sort(byScore).slice(0, k);
    return { question, answered: false, outcome: 'not_stated', ...(best.answer.notStated ? { notStated: best.answer.notStated } : {}), results, closest: [] };
  }
  const closest = answers
    .flatMap(({ label, answer }) => answer.closest.map((c) => ({ ...c, library: label })))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 3);
  return { question, answered: false, outcome: 'not_in_library', results: [], closest };
}
