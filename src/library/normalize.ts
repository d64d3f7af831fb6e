/**
 * Folds typographic variants to their plain forms: curly to straight quotes, dashes and minus
 * to a hyphen, the ellipsis to three dots; drops zero-width characters. Shared by every
 * comparison of wording so duplicate detection and phrase search agree on what "the same" is.
 */
export function foldPunctuation(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/gu, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/gu, '"')
    .replace(/[\u2010-\u2015\u2212]/gu, '-')
    .replace(/\u2026/gu, '...')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/gu, '');
}

/**
 * A comparison key for text: case, Unicode compatibility forms, curly vs straight quotes,
 * dashes, ellipses and runs of whitespace (including non-breaking spaces) are folded.
 * Used to find duplicates and phrase matches; never used to produce quoted text.
 */
export function comparisonKey(text: string): string {
  return foldPunctuation(text.normalize('NFKC'))
    .replace(/\s+/gu, ' ')
    .trim()
    .toLowerCase();
}

export function wordCount(text: string): number {
  return text.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}
