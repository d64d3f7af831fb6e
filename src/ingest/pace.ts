// How fast a bulk job goes and how long it has left, for the CLI's progress bar and /library add's message.

/** Texts a second, and the time left, from the texts done and the share of the work they were after `seconds`. */
export function pace(done: number, share: number, seconds: number): { rate: string; left: string } {
  if (done === 0 || share <= 0 || seconds <= 0) return { rate: '–', left: '–' };
  return { rate: (done / seconds).toFixed(0), left: duration((seconds * (1 - share)) / share) };
}

/** "45 s", "12 min", "1 h 5 min". */
export function duration(seconds: number): string {
  if (seconds < 90) return `${String(Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${String(minutes)} min`;
  return `${String(Math.floor(minutes / 60))} h ${String(minutes % 60)} min`;
}
