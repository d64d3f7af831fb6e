import cliProgress from 'cli-progress';
import { pace } from '../ingest/pace.js';
import type { ExtractProgress, IngestProgress } from '../ingest/update-index.js';

/** A progress bar on stderr when a person is watching; silence when output is piped. */
export function terminalProgress(label: string): (IngestProgress & ExtractProgress) | undefined {
  if (!process.stderr.isTTY) return undefined;
  // The bar counts the work by length (short texts go first, so a count of texts would run ahead
  // and its time left fall short); the texts, their rate and the time left are shown beside it.
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {texts}/{count} {what} | {rate}/s | {left} left`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let count = 0;
  let counted = '';
  let started = 0;
  // Long PDFs get a bar of their own while their pages are read.
  let reading: { sourceId: string; bar: cliProgress.SingleBar } | null = null;
  const readBar = (sourceId: string, total: number): cliProgress.SingleBar => {
    const pages = new cliProgress.SingleBar({ stream: process.stderr, format: `Reading ${sourceId.slice(-40)} [{bar}] {value}/{total} pages`, hideCursor: true }, cliProgress.Presets.shades_classic);
    pages.start(total, 0);
    return pages;
  };
  return {
    start: (total, what) => {
      count = total;
      counted = what;
      started = performance.now();
      bar.start(WORK_STEPS, 0, { texts: 0, count, what, rate: '–', left: '–' });
    },
    update: (done, share) => {
      const { rate, left } = pace(done, share, (performance.now() - started) / 1000);
      bar.update(Math.round(share * WORK_STEPS), { texts: done, count, what: counted, rate, left });
    },
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

const WORK_STEPS = 1000;

/** Documents with at least this many pages show their reading progress. */
export const LONG_DOCUMENT_PAGES = 20;
