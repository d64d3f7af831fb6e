import type { Answer, Citation } from '../search/answer-types.js';

function where(citation: Citation): string {
  const source = [citation.title, citation.publisher, citation.date].filter(Boolean).join(' · ');
  const place = [
    citation.page !== null ? `${citation.sourceId}#page=${String(citation.page)}` : citation.sourceId,
    ...(citation.section ? [`under “${citation.section}”`] : []),
    `paragraph ${String(citation.paragraph)}`,
    `characters ${String(citation.start)}–${String(citation.end)}`,
    ...(citation.recognized ? ['read by OCR from a scan'] : []),
  ];
  return `${source} — ${place.join(', ')}${citation.link ? `\n    ${citation.link}` : ''}`;
}

/** The terminal rendering of an answer: exact quotes, where each comes from, and the scores. */
export function formatAnswer(answer: Answer): string {
  const lines = [`Q: ${answer.question}`, ''];
  if (answer.outcome === 'not_stated') {
    lines.push(`The library does not say this directly: ${answer.notStated ?? 'the closest passages do not answer it'}.`);
    lines.push('Related passages:', '');
  } else if (!answer.answered) {
    lines.push('The library does not answer this question.');
    if (answer.closest.length > 0) {
      lines.push('Closest sources searched:');
      for (const source of answer.closest) lines.push(`  - ${source.title} (${source.sourceId}), similarity ${source.similarity.toFixed(2)}`);
    }
    return lines.join('\n');
  }
  answer.results.forEach((result, i) => {
    lines.push(`[${String(i + 1)}] “${result.quote}”`);
    lines.push(`    ${where(result)}`);
    lines.push(`    score ${result.score.toFixed(3)}, similarity ${result.similarity.toFixed(3)}`);
    for (const other of result.corroboratedBy) {
      lines.push(`    also in: “${other.quote}”`);
      lines.push(`      ${where(other)}`);
    }
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}

/** The `--json` contract: one object per question, one line, extra fields allowed. */
export function answerJson(answer: Answer): string {
  return JSON.stringify({
    question: answer.question,
    answered: answer.answered,
    outcome: answer.outcome,
    ...(answer.notStated ? { notStated: answer.notStated } : {}),
    results: answer.results.map((r) => ({
      sourceId: r.sourceId,
      title: r.title,
      publisher: r.publisher,
      date: r.date,
      url: r.url,
      format: r.format,
      page: r.page,
      section: r.section,
      link: r.link,
      ...(r.recognized ? { recognized: true } : {}),
      paragraph: r.paragraph,
      start: r.start,
      end: r.end,
      quote: r.quote,
      score: r.score,
      similarity: r.similarity,
      passage: r.passage,
      corroboratedBy: r.corroboratedBy,
    })),
    ...(answer.outcome === 'not_in_library' ? { closest: answer.closest } : {}),
  });
}
