import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { runCli } from '../helpers/run-cli.js';

// The same article as a PDF and as a Word file in one library (the committed format fixtures):
// one result, cited from the PDF with its page, the Word file as the corroborating citation.
describe('one report in two formats', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'witness-two-formats-'));
  const corpusDir = path.join(root, 'corpus');
  const paths = ['--corpus', corpusDir, '--index', path.join(root, 'index')];
  beforeAll(() => {
    mkdirSync(corpusDir);
    const fixtures = path.join(PROJECT_ROOT, 'test', 'fixtures', 'formats');
    cpSync(path.join(fixtures, 'docx', '000_93204e62e34d1ad1.docx'), path.join(corpusDir, 'trt-mosul.docx'));
    cpSync(path.join(fixtures, 'pdf', '000_93204e62e34d1ad1.pdf'), path.join(corpusDir, 'trt-mosul.pdf'));
    expect(runCli(['ingest', ...paths]).status).toBe(0);
  });

  it('is cited from the PDF, with its page, and the Word file corroborates it', () => {
    const run = runCli(['ask', ...paths, '--json', 'How many civilians are trapped in Mosul?']);
    expect(run.status, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout.trim()) as { results: { sourceId: string; page: number | null; quote: string; corroboratedBy: { sourceId: string }[] }[] };
    const result = answer.results.find((r) => r.quote.includes('1 million civilians'));
    expect(result).toMatchObject({ sourceId: 'trt-mosul.pdf', page: 2 });
    expect(result?.corroboratedBy.map((c) => c.sourceId)).toContain('trt-mosul.docx');
    // No result repeats what another already cites.
    expect(answer.results.filter((r) => r.quote.includes('1 million civilians'))).toHaveLength(1);
  });
});
