import cliProgress from 'cli-progress';
import type { IngestProgress } from '../ingest/update-index.js';

/** A progress bar on stderr when a person is watching; silence when output is piped. */
export function terminalProgress(label: string): IngestProgress | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {value}/{total} passages and sentences | ETA {eta}s`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
