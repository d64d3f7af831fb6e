import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DOCUMENT_EXTENSIONS, formatList } from '../extract/format-list.js';
import { extractDocument, type ExtractOptions } from '../extract/extract-document.js';
import { DEFAULT_EXTRACT_LIMITS } from '../extract/types.js';
import { UserError } from './errors.js';

/** Uploaded documents go to their own folder of the corpus, so they are easy to review. */
export const UPLOAD_FOLDER = 'uploads';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/u;

/**
 * A file name that is safe to write into the corpus: a plain name (no folders, no `..`,
 * no hidden files), letters, digits, dot, dash and underscore only, ending in a document
 * extension. Spaces become dashes; anything else is refused rather than silently rewritten.
 */
export function safeFileName(name: string): string {
  const candidate = name.trim().replace(/\s+/gu, '-');
  if (/[/\\\0]/u.test(candidate) || candidate.includes('..')) throw new UserError('The file name must be a plain name, without folders or "..".');
  if (!SAFE_NAME.test(candidate)) throw new UserError('The file name may use only letters, digits, dots, dashes and underscores (at most 100), and must not start with a dot.');
  if (!DOCUMENT_EXTENSIONS.includes(path.extname(candidate).toLowerCase())) throw new UserError(`Only ${formatList()} files can be added to the library.`);
  return candidate;
}

/** A file name for a fetched page: its host and path as letters, digits and dashes. */
export function nameForUrl(url: string, extension: string): string {
  const parsed = new URL(url);
  const stem = `${parsed.hostname}${parsed.pathname}`
    .replace(/\.(?:html?|php|aspx?)$/iu, '')
    .replace(/[^A-Za-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '')
    .slice(0, 90);
  return `${stem || 'page'}${extension}`;
}

export interface UploadOptions extends Partial<ExtractOptions> {
  maxBytes: number;
}

/** Whether two hosts are one site: the same host, or one a subdomain of the other. */
function sameSite(a: string, b: string): boolean {
  const x = new URL(a).hostname;
  const y = new URL(b).hostname;
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/**
 * Reads the bytes as the library would (kind from the bytes, text extracted within the limits)
 * and only then writes them as a new corpus file: a file that cannot be read is refused with the
 * reason and nothing is written. Never overwrites.
 */
export async function saveUpload(corpusDir: string, name: string, bytes: Uint8Array, options: UploadOptions | number): Promise<{ sourceId: string; file: string; warnings: string[] }> {
  const settings: UploadOptions = typeof options === 'number' ? { maxBytes: options } : options;
  const fileName = safeFileName(name);
  const checked = await extractDocument(bytes, fileName, { ...DEFAULT_EXTRACT_LIMITS, ...settings, maxFileBytes: settings.maxBytes });
  if (!checked.ok) throw new UserError(`The file cannot be added: ${checked.reason}. Nothing was saved.`);
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
  // A fetched page is cited at its own canonical address when it states one on the same site;
  // otherwise (none, or a claim to be another site's page) at the address it was fetched from.
  const stated = checked.extracted.meta.url;
  const sidecar = settings.pageUrl && !(stated && sameSite(stated, settings.pageUrl)) ? { url: settings.pageUrl } : null;
  if (sidecar) {
    try {
      await writeFile(`${file}.meta.json`, `${JSON.stringify(sidecar, null, 2)}\n`, { flag: 'wx' });
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
  }
  return { sourceId: `${UPLOAD_FOLDER}/${fileName}`, file, warnings: checked.extracted.warnings };
}
