const decoder = new TextDecoder('utf-8', { fatal: true });

/** Why a file's bytes cannot be a document, or null when they can. */
export function rejectBytes(bytes: Uint8Array, maxFileBytes: number): string | null {
  if (bytes.length === 0) return 'empty file';
  if (bytes.length > maxFileBytes) return `larger than the ${String(maxFileBytes)}-byte limit`;
  if (bytes.subarray(0, 8192).includes(0)) return 'binary file (contains NUL bytes)';
  return null;
}

/** Decodes UTF-8 strictly; a leading BOM is dropped and offsets refer to the decoded text. */
export function decodeDocument(bytes: Uint8Array): { text: string } | { error: string } {
  try {
    const text = decoder.decode(bytes);
    if (text.trim().length === 0) return { error: 'empty file (whitespace only)' };
    return { text };
  } catch {
    return { error: 'not valid UTF-8' };
  }
}

