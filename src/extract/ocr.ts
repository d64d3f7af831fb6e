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

/** A word as Tesseract reads it, in the image's pixels (y grows downwards). */
export interface OcrWord {
  text: string;
  x0: number;
  x1: number;
  /** Its line's baseline. */
  baseline: number;
  /** Its line's height (ascenders to descenders): the type size, in pixels. */
  size: number;
}

export interface OcrPage {
  words: OcrWord[];
  /** Tesseract's mean word confidence, 0–100, over every mark it read (specks and photographs too). */
  confidence: number;
  /** The mean confidence of the words kept, weighted by their letters: how well the text quoted was read. */
  textConfidence: number;
  /** Letters in the words kept. */
  letters: number;
  /** OCR took longer than the page limit: the page was left out. */
  timedOut?: boolean;
}

type Tesseract = typeof import('tesseract.js');

/** Words Tesseract gives less confidence than this (0–100) are not text: marks in a photograph, specks (a real word, "Iraqi", read at between 30 and 50 in a fixture). */
const MIN_WORD_CONFIDENCE = 30;

/**
 * Reads page images with Tesseract (tesseract.js, WebAssembly) and its English model from the
 * npm package @tesseract.js-data/eng: nothing is downloaded. Each word comes back with its place
 * on the page, so the page's layout (columns, headings, running heads, notes) is read by the
 * same rules as a PDF's text layer (pdf.ts). One worker reads all the pages of a document, then
 * is stopped, so no thread outlives the document. A page that takes longer than `pageSeconds`
 * is left out (`timedOut`): its worker is stopped and a new one reads the next page.
 */
export async function recognizePages(images: (PageImage | null)[], pageSeconds: number, onPage?: (done: number, total: number) => void): Promise<OcrPage[]> {
  const { createWorker } = (await import('tesseract.js')) as Tesseract;
  const require = createRequire(import.meta.url);
  const eng = require('@tesseract.js-data/eng') as { langPath: string };
  // The "best_int" model: the accurate LSTM model, quantised to 8-bit integers.
  const langPath = path.join(path.dirname(eng.langPath), '4.0.0_best_int');
  const start = (): ReturnType<typeof createWorker> => createWorker('eng', 1, { langPath, gzip: true, cacheMethod: 'none' });
  let worker = await start();
  try {
    const pages: OcrPage[] = [];
    for (const [i, image] of images.entries()) {
      const words: OcrWord[] = [];
      let confidence = 0;
      let letters = 0;
      let weighted = 0;
      let timedOut = false;
      if (image) {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), pageSeconds * 1000)));
        const reading = worker.recognize(toPnm(image), {}, { blocks: true });
        const result = await Promise.race([reading, late]).finally(() => clearTimeout(timer));
        if (result === null) {
          timedOut = true;
          reading.catch(() => undefined);
          await worker.terminate();
          worker = await start();
        } else {
          const { data } = result;
          confidence = data.confidence;
          for (const block of data.blocks ?? []) {
            for (const paragraph of block.paragraphs) {
              for (const line of paragraph.lines) {
                const baseline = (line.baseline.y0 + line.baseline.y1) / 2;
                const size = line.rowAttributes.rowHeight || line.bbox.y1 - line.bbox.y0;
                // Specks and photographs come back as a few letters Tesseract is unsure of: left out.
                for (const word of line.words) {
                  if (!word.text.trim() || word.confidence < MIN_WORD_CONFIDENCE) continue;
                  words.push({ text: word.text, x0: word.bbox.x0, x1: word.bbox.x1, baseline, size });
                  letters += word.text.length;
                  weighted += word.confidence * word.text.length;
                }
              }
            }
          }
        }
      }
      const page = { words, confidence, textConfidence: letters > 0 ? weighted / letters : 0, letters };
      pages.push(timedOut ? { ...page, timedOut } : page);
      onPage?.(i + 1, images.length);
    }
    return pages;
  } finally {
    await worker.terminate();
  }
}
