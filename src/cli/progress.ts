import cliProgress from 'cli-progress';
import type { ExtractProgress, IngestProgress } from '../ingest/update-index.js';

/** A progress bar on stderr when a person is watching; silence when output is piped. */
export function terminalProgress(label: string): (IngestProgress & ExtractProgress) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {value}/{total} passages and sentences | ETA {eta}s`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  // Long PDFs get a bar of their own while their pages are read.
  let reading: { sourceId: string; bar: cliProgress.SingleBar } | null = null;
  const readBar = (sourceId: string, total: number): cliProgress.SingleBar => {
    const pages = new cliProgress.SingleBar({ stream: process.stderr, format: `Reading ${sourceId.slice(-40)} [{bar}] {value}/{total} pages`, hideCursor: true }, cliProgress.Presets.shades_classic);
    pages.start(total, 0);
    return pages;
  };
  return {
    start: (total) => bar.start(total, 0),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
    reading: (sourceId, done, total) => {
      if (total < LONG_DOCUMENT_PAGES) return;
      if (reading?.sourceId !== sourceId) reading = { sourceId, bar: readBar(sourceId, total) };
      reading.bar.update(done);
      if (done === total) {
        reading.bar.stop();
        reading = null;
      }
    },
  };
}

/** Documents with at least this many pages show their reading progress. */
export const LONG_DOCUMENT_PAGES = 20;
