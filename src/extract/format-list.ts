/**
 * One kind of document Witness reads: how it is named, recognised and linked to. Adding a format
 * is its extractor's module, one entry here and one in EXTRACTORS (extractors.ts); detection, the
 * corpus scan, the upload checks, the index schema, help texts and links all read this list.
 * It imports nothing, so anything may read it.
 */
export interface FormatSpec {
  id: string;
  /** How a person is told what it is: "a PDF". */
  label: string;
  /** File name endings, lower case; the first names a saved copy (a fetched page, say). */
  extensions: readonly [string, ...string[]];
  /** file-type's `ext` for this kind's byte signature, when it has one. */
  signature?: string;
  /** A look at the first bytes, for kinds without a signature (HTML). */
  sniff?: (bytes: Uint8Array) => boolean;
  /**
   * Stored as its own text, not through an extractor: offsets are the file's, and the extractor
   * version does not concern it.
   */
  plainText?: boolean;
  /** Text without this kind's markup, under its name, is still read as this kind (HTML, Markdown). */
  readsPlainText?: boolean;
  /** Text under this kind's name is a broken or mislabelled file (PDF, Word). */
  binary?: boolean;
  /** How a link points at a quote when there is no page: highlight the words, or the file as a whole. */
  link: 'fragment' | 'whole';
}

/** An HTML document announces itself in its first bytes. */
function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).replace(/^\uFEFF|^ï»¿/u, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || (head.startsWith('<?xml') && head.includes('<html'));
}

export const FORMATS = [
  { id: 'text', label: 'plain text', extensions: ['.txt'], plainText: true, link: 'fragment' },
  { id: 'markdown', label: 'Markdown text', extensions: ['.md', '.markdown'], plainText: true, readsPlainText: true, link: 'fragment' },
  {
    id: 'pdf',
    label: 'a PDF',
    extensions: ['.pdf'],
    signature: 'pdf',
    binary: true,
    link: 'fragment',
  },
  {
    id: 'html',
    label: 'a web page (HTML)',
    extensions: ['.html', '.htm', '.xhtml'],
    sniff: looksLikeHtml,
    readsPlainText: true,
    link: 'fragment',
  },
  {
    id: 'docx',
    label: 'a Word document (DOCX)',
    extensions: ['.docx'],
    signature: 'docx',
    binary: true,
    link: 'whole',
  },
] as const satisfies readonly FormatSpec[];

/** The kinds of file Witness reads; the kind comes from the bytes, not only the name. */
export type DocumentFormat = (typeof FORMATS)[number]['id'];

export const FORMAT_IDS = FORMATS.map((format) => format.id) as [DocumentFormat, ...DocumentFormat[]];

export function formatSpec(id: DocumentFormat): FormatSpec {
  return FORMATS.find((format) => format.id === id) as FormatSpec;
}

/** File name endings Witness reads, and the kind each promises. */
export const FORMAT_BY_EXTENSION: Readonly<Record<string, DocumentFormat>> = Object.fromEntries(
  FORMATS.flatMap((format) => format.extensions.map((extension) => [extension, format.id])),
);

export const DOCUMENT_EXTENSIONS = Object.keys(FORMAT_BY_EXTENSION);

/** ".txt, .md, .pdf, .html or .docx": each kind by its main ending, for help texts and messages. */
export function formatList(conjunction = 'or'): string {
  const main = FORMATS.map((format) => format.extensions[0]);
  return `${main.slice(0, -1).join(', ')} ${conjunction} ${main.at(-1) as string}`;
}

export function describeFormat(format: DocumentFormat): string {
  return formatSpec(format).label;
}

/** Whether a stored document is its file's own text (offsets are the file's). */
export function isPlainText(format: DocumentFormat | undefined): boolean {
  return format === undefined || formatSpec(format).plainText === true;
}
