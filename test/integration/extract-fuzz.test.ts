import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { extractDocument } from '../../src/extract/extract-document.js';
import { DEFAULT_EXTRACT_LIMITS } from '../../src/extract/types.js';
import { mutate, random } from '../../scripts/fuzz/mutate.js';

/**
 * A small seeded run of the extraction fuzz (the full run, 10,000 files, is
 * scripts/fuzz/extract-fuzz.ts; its report is in RELIABILITY.md): documents mutated from every
 * format's fixtures, one scan among them, each read with the limits on. Each is read or refused
 * with a one-line reason, in time, and none crashes the reader.
 */
const FORMATS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'formats');
const files = (folder: string): string[] => readdirSync(path.join(FORMATS, folder)).filter((f) => !f.endsWith('.md')).map((f) => path.join(FORMATS, folder, f));
const SECONDS = 20;
/** A scan may take its OCR time on top: at most 2 pages of 5 s each. */
const OCR = { ocrMaxPages: 2, ocrPageSeconds: 5 };

describe('extraction of mutated documents', () => {
  it('reads or refuses every one of 150 mutated files (and a mutated scan) with a one-line reason, in time', async () => {
    const sources = ['pdf', 'webpdf', 'chromepdf', 'notes', 'html', 'docx'].flatMap(files);
    const next = random(20261207);
    const picks = Array.from({ length: 150 }, () => sources[Math.floor(next() * sources.length)] as string);
    picks.push(path.join(FORMATS, 'scan', '000_93204e62e34d1ad1.pdf'));
    const seen = { read: 0, refused: 0 };
    for (const source of picks) {
      const { bytes, mutation } = mutate(readFileSync(source), next);
      const started = performance.now();
      const result = await extractDocument(bytes, path.basename(source), { ...DEFAULT_EXTRACT_LIMITS, ...OCR, maxSeconds: SECONDS, maxFileBytes: 20 * 1024 * 1024 });
      expect((performance.now() - started) / 1000, `${path.basename(source)} ${mutation}`).toBeLessThan(SECONDS + OCR.ocrMaxPages * OCR.ocrPageSeconds + 2);
      if (result.ok) seen.read++;
      else {
        seen.refused++;
        expect(result.reason, `${path.basename(source)} ${mutation}`).not.toMatch(/\n|\bat .+\.(?:js|ts|mjs):\d+/u);
        expect(result.reason.length).toBeLessThan(400);
      }
    }
    // Both outcomes happen: the mutations are neither all harmless nor all fatal.
    expect(seen.read).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(10);
  }, 180_000);
});
