import yauzl from 'yauzl';
import { ExtractError } from './types.js';

export interface ZipCheck {
  entries: number;
  expandedBytes: number;
  /** Contents of the entries asked for by name (small XML parts). */
  read: Map<string, string>;
}

const MAX_ENTRIES = 10_000;
/** Largest single entry read into memory for `readNames`. */
const MAX_READ_BYTES = 1024 * 1024;

/**
 * Checks a zip container before a library unpacks it: the sizes its directory declares must add
 * up to at most `maxExpandedBytes`, and every entry is inflated (and counted) to prove the
 * declared sizes honest, so a zip bomb is refused before any parser sees it.
 */
export async function checkZip(bytes: Uint8Array, maxExpandedBytes: number, readNames: string[] = []): Promise<ZipCheck> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (error, file) => {
      if (error) reject(new ExtractError(`the file is not a readable zip container (${error.message})`));
      else resolve(file);
    });
  });
  const read = new Map<string, string>();
  let entries = 0;
  let declared = 0;
  let inflated = 0;
  const tooLarge = (size: number): ExtractError =>
    new ExtractError(`the document would expand to more than ${String(Math.round(maxExpandedBytes / 1048576))} MB when unpacked (${String(Math.round(size / 1048576))} MB or more); it looks like a zip bomb`);
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => reject(error instanceof ExtractError ? error : new ExtractError(`the zip container is damaged (${error.message})`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        entries++;
        declared += entry.uncompressedSize;
        if (entries > MAX_ENTRIES) return reject(new ExtractError(`the zip container has more than ${String(MAX_ENTRIES)} entries`));
        if (declared > maxExpandedBytes) return reject(tooLarge(declared));
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (error, stream) => {
          if (error) return reject(new ExtractError(`the zip container is damaged (${error.message})`));
          const wanted = readNames.includes(entry.fileName) && entry.uncompressedSize <= MAX_READ_BYTES;
          const parts: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            if (inflated > maxExpandedBytes) {
              stream.destroy();
              reject(tooLarge(inflated));
              return;
            }
            if (wanted) parts.push(chunk);
          });
          stream.on('error', (streamError: Error) => reject(new ExtractError(`the zip container is damaged (${streamError.message})`)));
          stream.on('end', () => {
            if (wanted) read.set(entry.fileName, Buffer.concat(parts).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return { entries, expandedBytes: inflated, read };
}
