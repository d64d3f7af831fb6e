import path from 'node:path';
import type { DocumentFormat } from './types.js';

/** File name endings Witness reads, and the kind each promises. */
export const FORMAT_BY_EXTENSION: Record<string, DocumentFormat> = {
  '.txt': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.pdf': 'pdf',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.docx': 'docx',
};

export const DOCUMENT_EXTENSIONS = Object.keys(FORMAT_BY_EXTENSION);

const FORMAT_NAMES: Record<DocumentFormat, string> = { text: 'plain text', markdown: 'Markdown text', pdf: 'a PDF', html: 'a web page (HTML)', docx: 'a Word document (DOCX)' };

export function describeFormat(format: DocumentFormat): string {
  return FORMAT_NAMES[format];
}

export type Detection = { format: DocumentFormat; warning: string | null } | { error: string };

type FileTypeModule = typeof import('file-type');
let fileType: Promise<FileTypeModule> | null = null;

/** An HTML document announces itself in its first bytes. */
function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).replace(/^\uFEFF|^ï»¿/u, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || (head.startsWith('<?xml') && head.includes('<html'));
}

/**
 * What a file is, read from its bytes (file-type's signatures, then a look for HTML), checked
 * against what its name claims. A supported document under the wrong name is read for what it
 * is, with a warning; anything else is refused with what it really is.
 */
export async function detectFormat(bytes: Uint8Array, name: string): Promise<Detection> {
  const claimed = FORMAT_BY_EXTENSION[path.extname(name).toLowerCase()];
  fileType ??= import('file-type');
  const { fileTypeFromBuffer } = await fileType;
  const found = await fileTypeFromBuffer(bytes).catch(() => undefined);
  let actual: DocumentFormat;
  if (found?.ext === 'pdf') actual = 'pdf';
  else if (found?.ext === 'docx') actual = 'docx';
  else if (found && found.mime !== 'application/xml' && found.ext !== 'xml') {
    const what = `${found.ext.toUpperCase()} (${found.mime})`;
    return { error: claimed ? `the file is named as ${describeFormat(claimed)} but its content is ${what}, which Witness cannot read` : `its content is ${what}, which Witness cannot read` };
  } else if (looksLikeHtml(bytes)) actual = 'html';
  else actual = claimed === 'markdown' || claimed === 'html' ? claimed : 'text';
  if (!claimed) return { format: actual, warning: null };
  // Text named .md or .html is still text; only a real mismatch is worth a word.
  const textLike = (format: DocumentFormat): boolean => format === 'text' || format === 'markdown';
  if (actual === claimed || (textLike(actual) && textLike(claimed))) return { format: actual, warning: null };
  if (claimed === 'html' && textLike(actual)) return { format: 'text', warning: 'named as a web page but has no HTML markup; read as plain text' };
  // Text under a PDF or Word name is a broken or mislabelled file, not a document to guess at.
  if ((claimed === 'pdf' || claimed === 'docx') && (textLike(actual) || actual === 'html')) {
    return { error: `the file is named as ${describeFormat(claimed)} but its content is ${describeFormat(actual)}, not ${describeFormat(claimed)}` };
  }
  return { format: actual, warning: `named as ${describeFormat(claimed)} but its content is ${describeFormat(actual)}; read as ${describeFormat(actual)}` };
}
