import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLibrary } from '../../src/library/read-library.js';

function corpusWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'witness-lib-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('readLibrary', () => {
  it('reads document files, recursively, and skips bad files with a reason naming each', async () => {
    const outside = corpusWith({ 'secret.txt': 'outside the corpus' });
    const dir = corpusWith({
      'good.txt': 'A fine document.',
      'sub/notes.md': '# Notes\n\nMore text.',
      'ignored.pdf': 'not a document type',
      'empty.txt': '',
      'blank.txt': '  \n\n ',
      'binary.txt': Buffer.from([0x48, 0x00, 0x49, 0x00]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b]),
      'huge.txt': 'x'.repeat(2000),
      'good.txt.meta.json': '{"title": "Good"}',
    });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'link.txt'));
    const library = await readLibrary(dir, { maxFileBytes: 1000 });
    expect(library.documents.map((d) => d.sourceId)).toEqual(['good.txt', 'sub/notes.md']);
    const reasons = Object.fromEntries(library.skipped.map((s) => [s.sourceId, s.reason]));
    expect(reasons).toEqual({
      'binary.txt': expect.stringMatching(/binary/u),
      'blank.txt': expect.stringMatching(/empty/u),
      'empty.txt': expect.stringMatching(/empty/u),
      'huge.txt': expect.stringMatching(/limit/u),
      'ignored.pdf': expect.stringMatching(/named as a PDF but its content is plain text/u),
      'latin1.txt': expect.stringMatching(/UTF-8/u),
      'link.txt': expect.stringMatching(/outside/u),
    });
    expect(library.sidecars.get('good.txt')).toBe('{"title": "Good"}');
  });

  it('drops a byte order mark, so offsets index the decoded text', async () => {
    const dir = corpusWith({ 'bom.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Hello there.')]) });
    const [doc] = (await readLibrary(dir, { maxFileBytes: 1000 })).documents;
    expect(doc?.text).toBe('Hello there.');
  });
});
