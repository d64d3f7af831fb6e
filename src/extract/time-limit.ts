import { ExtractError } from './types.js';

/**
 * The work's result, or an ExtractError ("reading <what> took longer than N s") once `seconds`
 * have passed, so a pathological file cannot hold the library.
 */
export async function withinTime<T>(work: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExtractError(`reading ${what} took longer than ${String(seconds)} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
