import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { updateIndex } from '../../src/ingest/update-index.js';
import { Answerer } from '../../src/search/ask.js';
import { openEmbedded } from '../../src/store/embedded-store.js';
import { sampleWorkspace } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { standInEmbedder } from '../helpers/stand-in-embedder.js';

/**
 * A corpus folder that a careless or hostile moderator filled: every bad file is skipped or
 * accepted with a warning naming it, and the rest of the library is still ingested.
 * The model is the test stand-in (this is about reading and indexing); the CLI case at the end
 * runs the real program and model.
 */

const embedder = standInEmbedder();
const logger = pino({ level: 'silent' });
const MB = 1024 * 1024;

function hostileCorpus(): { corpusDir: string; indexDir: string } {
  const workspace = sampleWorkspace();
  const { corpusDir } = workspace;
  const outside = mkdtempSync(path.join(tmpdir(), 'witness-outside-'));
  writeFileSync(path.join(outside, 'secret.txt'), 'A secret document outside the corpus folder that must never be indexed.');
  writeFileSync(path.join(corpusDir, 'binary.txt'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xde, 0xad]));
  writeFileSync(path.join(corpusDir, 'invalid-utf8.txt'), Buffer.concat([Buffer.from('Mostly fine text with a bad byte '), Buffer.from([0xc3, 0x28]), Buffer.from(' in the middle.')]));
  writeFileSync(path.join(corpusDir, 'empty.txt'), '');
  writeFileSync(path.join(corpusDir, 'blank.md'), ' \n\t\n\u00a0\n');
  // 200 MB, sparse: costs no disk, and must be refused by its size without being read.
  writeFileSync(path.join(corpusDir, 'huge.txt'), '');
  truncateSync(path.join(corpusDir, 'huge.txt'), 200 * MB);
  writeFileSync(path.join(corpusDir, 'lines.txt'), 'a\n'.repeat(100_000));
  writeFileSync(path.join(corpusDir, 'bell\u0007name.txt'), 'A document whose file name rings the terminal bell when printed.');
  writeFileSync(path.join(corpusDir, 'spoof\u202Etxt.md'), 'A document whose file name reverses the text after it when shown.');
  writeFileSync(path.join(corpusDir, 'escape\u001b[2J.txt'), 'A document whose file name clears the terminal when printed.');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(corpusDir, 'link-out.txt'));
  symlinkSync(outside, path.join(corpusDir, 'dir-out.md'));
  symlinkSync('loop.txt', path.join(corpusDir, 'loop.txt'));
  execFileSync('mkfifo', [path.join(corpusDir, 'pipe.txt')]);
  mkdirSync(path.join(corpusDir, 'copies'));
  copyFileSync(path.join(corpusDir, '002_7164e3e001d81504.txt'), path.join(corpusDir, 'copies', 'renamed.txt'));
  writeFileSync(path.join(corpusDir, '000_93204e62e34d1ad1.txt.meta.json'), '{"title": "Unfinished');
  writeFileSync(path.join(corpusDir, '001_f9e13c605d763562.txt.meta.json'), '{"title": 42, "date": [], "url": "javascript:alert(1)"}');
  writeFileSync(path.join(corpusDir, 'orphan.txt.meta.json'), '{"title": "No document"}');
  writeFileSync(path.join(corpusDir, 'front.md'), '---\ntitle: [unclosed\n---\nA document with front matter that is not valid YAML, but a body worth keeping.\n');
  return workspace;
}

describe('hostile documents in the corpus', () => {
  it('skips or warns about each bad file by name, and ingests the rest', async () => {
    const workspace = hostileCorpus();
    const started = performance.now();
    const { index, report } = await updateIndex({ ...workspace, maxFileBytes: 10 * MB, embedder, logger });
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(60);

    const skipped = Object.fromEntries(report.skipped.map((s) => [s.sourceId, s.reason]));
    expect(skipped).toEqual({
      'binary.txt': expect.stringMatching(/its content is ELF/u),
      'invalid-utf8.txt': 'not valid UTF-8',
      'empty.txt': 'empty file',
      'blank.md': expect.stringMatching(/empty/u),
      'huge.txt': expect.stringMatching(/larger than the 10485760-byte limit/u),
      'bell\\u0007name.txt': expect.stringMatching(/control/u),
      'spoof\\u202etxt.md': expect.stringMatching(/control/u),
      'escape\\u001b[2J.txt': expect.stringMatching(/control/u),
      'link-out.txt': expect.stringMatching(/outside the corpus/u),
      'dir-out.md': expect.stringMatching(/outside the corpus/u),
      'loop.txt': expect.stringMatching(/symbolic link/u),
      'pipe.txt': 'not a regular file',
    });
    // Nothing unprintable reaches a report, a log line or a terminal.
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(JSON.stringify(report).replace(/\\u00[0-9a-f]{2}/gu, '')).not.toMatch(/[\u0000-\u001f\u202e]/u);

    const ids = index.documents.map((d) => d.sourceId).sort();
    expect(ids).toEqual(['000_93204e62e34d1ad1.txt', '001_f9e13c605d763562.txt', '002_7164e3e001d81504.txt', '003_4bbc032d74fe67a6.txt', '004_2fa897a6bb32e4bf.txt', 'copies/renamed.txt', 'front.md', 'lines.txt']);
    const warnings = report.warnings.map((w) => `${w.sourceId}: ${w.message}`);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'copies/renamed.txt: same content as 002_7164e3e001d81504.txt',
        '000_93204e62e34d1ad1.txt: sidecar ignored: not valid JSON',
        expect.stringMatching(/^001_f9e13c605d763562\.txt: sidecar ignored: .*title/u),
        expect.stringMatching(/^front\.md: front matter ignored: not valid YAML/u),
      ]),
    );
    // A bad sidecar leaves the title read from the text.
    expect(index.documents.find((d) => d.sourceId === '001_f9e13c605d763562.txt')?.meta.title).not.toBe('42');
    expect(index.documents.find((d) => d.sourceId === 'front.md')?.chunks.length).toBe(1);

    // Answers still come, verbatim; the renamed copy corroborates rather than repeating a result.
    const { library, store } = openEmbedded(index);
    const answerer = new Answerer(library, store, embedder, { minSimilarity: -1 });
    const answer = await answerer.ask('Who published the photos of torture?', { k: 10 });
    expect(answer.results.length).toBeGreaterThan(0);
    for (const result of answer.results) {
      for (const cited of [result, ...result.corroboratedBy]) {
        expect(cited.quote).toBe(readFileSync(path.join(workspace.corpusDir, cited.sourceId), 'utf8').slice(cited.start, cited.end));
      }
    }
    const quotes = answer.results.map((r) => r.quote);
    expect(new Set(quotes).size).toBe(quotes.length);
    const lines = await answerer.ask('a a a', { k: 3 });
    for (const result of lines.results) expect(result.quote).toBe(readFileSync(path.join(workspace.corpusDir, result.sourceId), 'utf8').slice(result.start, result.end));
  });

  it('the CLI prints each skip and warning on one line, with unprintable names escaped', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'witness-hostile-cli-'));
    const corpusDir = path.join(root, 'corpus');
    mkdirSync(corpusDir);
    writeFileSync(path.join(corpusDir, 'good.txt'), 'The harbour master closed the pier at dusk before the storm arrived.\n');
    writeFileSync(path.join(corpusDir, 'escape\u001b[2J.txt'), 'A document whose file name clears the terminal.');
    writeFileSync(path.join(corpusDir, 'binary.txt'), Buffer.from([0, 1, 2, 3]));
    writeFileSync(path.join(corpusDir, 'good.txt.meta.json'), 'not json');
    const run = runCli(['ingest', '--corpus', corpusDir, '--index', path.join(root, 'index')]);
    expect(run.status, run.stderr).toBe(0);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(run.stdout + run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/u);
    expect(run.stdout).toContain('Indexed 1 documents');
    expect(run.stdout).toContain('Skipped escape\\u001b[2J.txt: file name contains control or bidirectional-override characters.');
    expect(run.stdout).toContain('Skipped binary.txt: binary file (contains NUL bytes).');
    expect(run.stdout).toContain('Warning for good.txt: sidecar ignored: not valid JSON.');
  });
});
