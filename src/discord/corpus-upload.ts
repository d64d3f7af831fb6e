import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeDocument, DOCUMENT_EXTENSIONS, rejectBytes } from '../library/read-library.js';
import { UserError } from './errors.js';

/** Uploaded documents go to their own folder of the corpus, so they are easy to review. */
export const UPLOAD_FOLDER = 'uploads';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/u;

/**
 * A file name that is safe to write into the corpus: a plain name (no folders, no `..`,
 * no hidden files), letters, digits, dot, dash and underscore only, ending in .txt or .md.
 * Spaces become dashes; anything else is refused rather than silently rewritten.
 */
export function safeFileName(name: string): string {
  const candidate = name.trim().replace(/\s+/gu, '-');
  if (/[/\\\0]/u.test(candidate) || candidate.includes('..')) throw new UserError('The file name must be a plain name, without folders or "..".');
  if (!SAFE_NAME.test(candidate)) throw new UserError('The file name may use only letters, digits, dots, dashes and underscores (at most 100), and must not start with a dot.');
  if (!DOCUMENT_EXTENSIONS.includes(path.extname(candidate).toLowerCase())) throw new UserError('Only .txt and .md files can be added to the library.');
  return candidate;
}

/** Checks the bytes (size, not binary, strict UTF-8) and writes them as a new corpus file; never overwrites. */
export async function saveUpload(corpusDir: string, name: string, bytes: Uint8Array, maxBytes: number): Promise<{ sourceId: string; file: string }> {
  const fileName = safeFileName(name);
  const rejected = rejectBytes(bytes, maxBytes);
  if (rejected) throw new UserError(`The file cannot be added: ${rejected}.`);
  const decoded = decodeDocument(bytes);
  if ('error' in decoded) throw new UserError(`The file cannot be added: ${decoded.error}. Save it as UTF-8 text and try again.`);
  const root = path.resolve(corpusDir);
  const folder = path.join(root, UPLOAD_FOLDER);
  const file = path.join(folder, fileName);
  if (!file.startsWith(folder + path.sep)) throw new UserError('The file name must be a plain name, without folders or "..".');
  await mkdir(folder, { recursive: true });
  try {
    await writeFile(file, bytes, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UserError(`The library already has a document named ${fileName}. Rename the file, or ask an administrator to replace the old one.`);
    }
    throw error;
  }
  return { sourceId: `${UPLOAD_FOLDER}/${fileName}`, file };
}
