import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export const EvalQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  kind: z.enum(['factoid', 'paraphrase', 'multi', 'unanswerable']),
  /** What the question exercises ("nickname", "year-target", …), where its writer tagged it. */
  style: z.string().optional(),
  answers: z.array(z.object({ doc: z.string(), quote: z.string().min(1) })),
});

export type EvalQuestion = z.infer<typeof EvalQuestionSchema>;

/** Reads a JSONL question set, naming the line of any malformed entry. */
export async function readEvalSet(file: string): Promise<EvalQuestion[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const questions: EvalQuestion[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${String(i + 1)}: not valid JSON`);
    }
    const parsed = EvalQuestionSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${file}:${String(i + 1)}: ${parsed.error.issues[0]?.message ?? 'invalid entry'}`);
    questions.push(parsed.data);
  });
  return questions;
}
