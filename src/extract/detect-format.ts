import path from 'node:path';
import { describeFormat, FORMAT_BY_EXTENSION, FORMATS, formatSpec, type DocumentFormat, type FormatSpec } from './format-list.js';

export type Detection = { format: DocumentFormat; warning: string | null } | { error: string };

type FileTypeModule = typeof import('file-type');
let fileType: Promise<FileTypeModule> | null = null;

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
  const signed = found ? (FORMATS as readonly FormatSpec[]).find((format) => format.signature === found.ext) : undefined;
  let actual: DocumentFormat;
  if (signed) actual = signed.id as DocumentFormat;
  else if (found && found.mime !== 'application/xml' && found.ext !== 'xml') {
    const what = `${found.ext.toUpperCase()} (${found.mime})`;
    return { error: claimed ? `the file is named as ${describeFormat(claimed)} but its content is ${what}, which Witness cannot read` : `its content is ${what}, which Witness cannot read` };
  } else {
    const sniffed = (FORMATS as readonly FormatSpec[]).find((format) => format.sniff?.(bytes));
    actual = sniffed ? (sniffed.id as DocumentFormat) : claimed && formatSpec(claimed).readsPlainText ? claimed : 'text';
  }
  if (!claimed) return { format: actual, warning: null };
  // Text named .md or .html is still text; only a real mismatch is worth a word.
  const textLike = (format: DocumentFormat): boolean => formatSpec(format).plainText === true;
  if (actual === claimed || (textLike(actual) && textLike(claimed))) return { format: actual, warning: null };
  // Text under a PDF or Word name is a broken or mislabelled file, not a document to guess at.
  if (formatSpec(claimed).binary && !formatSpec(actual).binary) {
    return { error: `the file is named as ${describeFormat(claimed)} but its content is ${describeFormat(actual)}, not ${describeFormat(claimed)}` };
  }
  return { format: actual, warning: `named as ${describeFormat(claimed)} but its content is ${describeFormat(actual)}; read as ${describeFormat(actual)}` };
}
