import { TextBuilder } from './text-builder.js';

/** Elements whose start and end break the text into paragraphs. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr',
  'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'caption', 'details', 'summary',
]);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'canvas', 'button', 'select', 'textarea', 'head']);
const HEADING = /^h([1-6])$/u;

/** The minimal DOM surface the walker reads (linkedom's nodes have it). */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/** Whitespace as HTML collapses it; a non-breaking space is text and is kept. */
const collapse = (text: string): string => text.replace(/[ \t\n\r\f]+/gu, ' ');

/**
 * Writes an HTML body as paragraphs: block elements start a new paragraph, headings become
 * sections, `<br>` a line break, and inline whitespace collapses as a browser shows it.
 */
export function htmlToText(root: DomNode): ReturnType<TextBuilder['finish']> {
  const builder = new TextBuilder();
  let pending = '';
  const flushInline = (): void => {
    const text = pending.trim().length > 0 ? pending.replace(/^ +| +$/gu, '') : '';
    pending = '';
    if (text) builder.append(text);
  };
  const walk = (node: DomNode, pre: boolean): void => {
    if (node.nodeType === TEXT_NODE) {
      const value = node.textContent ?? '';
      pending += pre ? value : collapse(value);
      if (!pre) pending = pending.replace(/ {2,}/gu, ' ');
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const name = node.nodeName.toLowerCase();
    if (SKIP.has(name)) return;
    const heading = HEADING.exec(name);
    if (heading) {
      flushInline();
      builder.heading(collapse(node.textContent ?? '').trim(), Number(heading[1]));
      return;
    }
    if (name === 'br') {
      flushInline();
      builder.lineBreak();
      return;
    }
    const block = BLOCK.has(name);
    if (block) {
      flushInline();
      builder.endParagraph();
    }
    const children = Array.from(node.childNodes);
    for (const child of children) walk(child, pre || name === 'pre');
    if (block) {
      flushInline();
      builder.endParagraph();
    }
  };
  walk(root, false);
  flushInline();
  return builder.finish();
}

/** An HTML fragment (an article's or a Word file's body) written as paragraphs (see htmlToText). */
export async function htmlFragmentToText(html: string): Promise<ReturnType<TextBuilder['finish']>> {
  const { parseHTML } = await import('linkedom');
  return htmlToText(parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body as unknown as DomNode);
}
