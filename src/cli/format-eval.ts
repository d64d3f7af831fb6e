import type { EvalMetrics } from '../eval/run-eval.js';

const pct = (value: number): string => value.toFixed(3);

/** Side-by-side table of retrieval modes, one column each. */
export function formatEvalTable(runs: EvalMetrics[]): string {
  const rows: [string, (m: EvalMetrics) => string][] = [
    ['hit@1', (m) => pct(m.hitAt1)],
    ['hit@3', (m) => pct(m.hitAt3)],
    ['MRR@10', (m) => pct(m.mrrAt10)],
    ['verbatim rate', (m) => `${pct(m.verbatimRate)} (${String(m.quotesChecked)} quotes)`],
    ['abstention (unanswerable)', (m) => `${pct(m.abstention)} (${String(m.unanswerable)} q)`],
    ['false abstention (answerable)', (m) => `${pct(m.falseAbstention)} (${String(m.answerable)} q)`],
    ['unanswerable: not stated / not in library', (m) => `${String(m.unanswerableNotStated)} / ${String(m.unanswerableNotInLibrary)} of ${String(m.unanswerable)}`],
    ['answerable flagged not stated', (m) => `${String(m.answerableNotStated)} of ${String(m.answerable)}`],
  ];
  const header = ['metric', ...runs.map((m) => m.mode)];
  const table = [header, ...rows.map(([name, cell]) => [name, ...runs.map(cell)])];
  const widths = header.map((_, col) => Math.max(...table.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]): string => `| ${row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.slice(1).map(line)].join('\n');
}

export function formatMisses(metrics: EvalMetrics): string {
  const misses = metrics.outcomes.filter((o) => (o.kind === 'unanswerable' ? o.answered : o.hitRank !== 1));
  if (misses.length === 0) return `${metrics.mode}: no misses`;
  return [
    `${metrics.mode}: ${String(misses.length)} not at rank 1`,
    ...misses.map((o) => `  ${o.id} [${o.kind}] rank=${o.hitRank === null ? '-' : String(o.hitRank)} ${o.outcome} ${o.question}\n     top: ${o.top ? `${o.top.sourceId} “${o.top.quote.slice(0, 120)}”` : '(none)'}`),
  ].join('\n');
}
