import { htmlFragmentToText } from './html-blocks.js';
import { checkZip } from './zip-guard.js';
import { ExtractError, type ExtractedText, type ExtractLimits, type FormatMeta } from './types.js';

type Mammoth = typeof import('mammoth');
let mammoth: Promise<Mammoth> | null = null;
function loadMammoth(): Promise<Mammoth> {
  mammoth ??= import('mammoth').then((module) => ((module as unknown as { default?: Mammoth }).default ?? module));
  return mammoth;
}

const CORE = 'docProps/core.xml';

function xmlValue(xml: string | undefined, tag: string): string | undefined {
  if (!xml) return undefined;
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'u').exec(xml);
  const value = match?.[1]
    ?.replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&quot;/gu, '"')
    .replace(/&apos;/gu, "'")
    .replace(/&amp;/gu, '&')
    .replace(/\s+/gu, ' ')
    .trim();
  return value || undefined;
}

/**
 * mammoth writes a footnote or endnote reference as a bracketed number in a link
 * (`<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup>`) and ends each note, listed
 * after the body, with a link back (`<a href="#footnote-ref-1">↑</a>`). Both are dropped, so no
 * marker is glued to the word it follows ("PFHxS[1]"); the notes' own text stays, after the body.
 */
export function withoutNoteMarkers(html: string): string {
  return html
    .replace(/<sup>\s*<a href="#(?:footnote|endnote)-\d+"[^>]*>\[\d+\]<\/a>\s*<\/sup>/gu, '')
    .replace(/\s*<a href="#(?:footnote|endnote)-ref-\d+"[^>]*>\s*↑\s*<\/a>/gu, '');
}

/**
 * A Word document's paragraphs and headings (mammoth), after the container has been checked
 * against zip bombs, with the title, author and creation date of its core properties.
 */
export async function extractDocx(bytes: Uint8Array, limits: ExtractLimits): Promise<ExtractedText> {
  const zip = await checkZip(bytes, limits.maxExpandedBytes, [CORE]);
  const { convertToHtml } = await loadMammoth();
  let html: string;
  const warnings: string[] = [];
  try {
    const result = await convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }, { ignoreEmptyParagraphs: true });
    html = result.value;
  } catch (error) {
    throw new ExtractError(`the Word document could not be read (${(error as Error).message.split('\n')[0] ?? 'unknown error'})`);
  }
  const { text, sections } = await htmlFragmentToText(withoutNoteMarkers(html));
  if (text.trim().length === 0) throw new ExtractError('the Word document has no text');
  const core = zip.read.get(CORE);
  const meta: FormatMeta = {};
  const title = xmlValue(core, 'dc:title');
  const author = xmlValue(core, 'dc:creator');
  if (title) meta.title = title;
  if (author) meta.author = author;
  const fallbackMeta: FormatMeta = {};
  const created = /^(\d{4}-\d{2}-\d{2})/u.exec(xmlValue(core, 'dcterms:created') ?? '')?.[1];
  if (created) fallbackMeta.date = created;
  return { format: 'docx', text, sections, meta, fallbackMeta, warnings };
}
