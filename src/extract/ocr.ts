import { createRequire } from 'node:module';
import path from 'node:path';

/** A page's image as pdf.js decodes it: `kind` 1 is 1 bit per pixel, 2 RGB, 3 RGBA. */
export interface PageImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * The image as a binary PNM file (PGM for grey, PPM for colour), which Tesseract's image library
 * reads: no image codec is needed to hand pdf.js's pixels over.
 */
export function toPnm(image: PageImage): Buffer {
  const { width, height, kind, data } = image;
  if (kind === 1) {
    // One bit per pixel, rows padded to whole bytes; a set bit is white in pdf.js's output.
    const rowBytes = (width + 7) >> 3;
    const grey = Buffer.alloc(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) grey[y * width + x] = ((data[y * rowBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1 ? 255 : 0;
    }
    return Buffer.concat([Buffer.from(`P5\n${String(width)} ${String(height)}\n255\n`, 'ascii'), grey]);
  }
  const channels = kind === 3 ? 4 : 3;
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0, o = 0; o < rgb.length; i += channels, o += 3) {
    rgb[o] = data[i] ?? 0;
    rgb[o + 1] = data[i + 1] ?? 0;
    rgb[o + 2] = data[i + 2] ?? 0;
  }
  return Buffer.concat([Buffer.from(`P6\n${String(width)} ${String(height)}\n255\n`, 'ascii'), rgb]);
}

export interface OcrPage {
  /** The page's text as Tesseract reads it: lines, with a blank line between paragraphs. */
  text: string;
  /** Tesseract's mean word confidence, 0–100. */
  confidence: number;
}

type Tesseract = typeof import('tesseract.js');

interface OcrLine {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

/**
 * The page's lines grouped into paragraphs by the space between them, as a reader sees them: a
 * gap clearly taller than the usual line gap (or a new block of Tesseract's layout) starts a
 * paragraph. Tesseract's own paragraphs are not used: on scans of set text it often runs a whole
 * column into one.
 */
function paragraphsOf(blocks: { paragraphs: { lines: OcrLine[] }[] }[]): string {
  const lines: { line: OcrLine; block: number }[] = [];
  blocks.forEach((block, b) => {
    for (const paragraph of block.paragraphs) for (const line of paragraph.lines) if (line.text.trim()) lines.push({ line, block: b });
  });
  if (lines.length === 0) return '';
  const heights = lines.map(({ line }) => line.bbox.y1 - line.bbox.y0).sort((a, b) => a - b);
  const height = heights[Math.floor(heights.length / 2)] ?? 10;
  const gaps = lines.slice(1).map(({ line }, i) => line.bbox.y0 - (lines[i] as { line: OcrLine }).line.bbox.y1).filter((gap) => gap >= 0).sort((a, b) => a - b);
  const usual = gaps[Math.floor(gaps.length * 0.25)] ?? 0;
  const out: string[] = [];
  lines.forEach(({ line, block }, i) => {
    const before = lines[i - 1];
    const gap = before ? line.bbox.y0 - before.line.bbox.y1 : 0;
    const breaks = before !== undefined && (block !== before.block || gap > usual + 0.5 * height || gap < -height);
    if (breaks) out.push('');
    out.push(line.text.replace(/\n$/u, ''));
  });
  return out.join('\n');
}

/**
 * Reads page images with Tesseract (tesseract.js, WebAssembly) and its English model from the
 * npm package @tesseract.js-data/eng: nothing is downloaded. One worker reads all the pages of
 * a document, then is stopped, so no thread outlives the document.
 */
export async function recognizePages(images: (PageImage | null)[], onPage?: (done: number, total: number) => void): Promise<OcrPage[]> {
  const { createWorker } = (await import('tesseract.js')) as Tesseract;
  const require = createRequire(import.meta.url);
  const eng = require('@tesseract.js-data/eng') as { langPath: string };
  // The "best_int" model: the accurate LSTM model, quantised to 8-bit integers.
  const langPath = path.join(path.dirname(eng.langPath), '4.0.0_best_int');
  const worker = await createWorker('eng', 1, { langPath, gzip: true, cacheMethod: 'none' });
  try {
    const pages: OcrPage[] = [];
    for (const [i, image] of images.entries()) {
      if (!image) {
        pages.push({ text: '', confidence: 0 });
      } else {
        const { data } = await worker.recognize(toPnm(image), {}, { blocks: true, text: true });
        pages.push({ text: paragraphsOf(data.blocks ?? []) || data.text, confidence: data.confidence });
      }
      onPage?.(i + 1, images.length);
    }
    return pages;
  } finally {
    await worker.terminate();
  }
}
