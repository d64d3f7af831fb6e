import { ExtractError } from './types.js';

/**
 * The work's result, or an ExtractError ("reading <what> took longer than N s") once `seconds`
 * have passed, so a pathological file cannot hold the library.
 */
export async function withinTime<T>(work: Promise<T>, seconds: number, what: string): Promise<T> {
  return withinDeadline(() => work, seconds, what);
}

/** A time limit that the work itself may push back, once it knows how much more it has to do. */
export interface Deadline {
  /** Gives the work `seconds` more than it has left. */
  extend(seconds: number): void;
}

/**
 * As withinTime, but the work gets a Deadline: a scanned PDF, found to need OCR only after its
 * pages were opened, is given its pages' OCR time on top of the file's limit.
 */
export async function withinDeadline<T>(work: (deadline: Deadline) => Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let fail: (error: ExtractError) => void = () => undefined;
  let allowed = seconds;
  const started = performance.now();
  const arm = (): void => {
    clearTimeout(timer);
    const left = allowed * 1000 - (performance.now() - started);
    timer = setTimeout(() => fail(new ExtractError(`reading ${what} took longer than ${String(allowed)} s`)), Math.max(0, left));
  };
  const limit = new Promise<never>((_, reject) => {
    fail = reject;
  });
  arm();
  const running = work({
    extend: (more) => {
      allowed += more;
      arm();
    },
  });
  try {
    return await Promise.race([running, limit]);
  } finally {
    clearTimeout(timer);
    running.catch(() => undefined);
  }
}
