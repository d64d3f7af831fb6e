import { htmlFragmentToText } from './html-blocks.js';
import { ExtractError, type ExtractedText, type FormatMeta } from './types.js';

type Linkedom = typeof import('linkedom');
type ReadabilityModule = typeof import('@mozilla/readability');
let modules: Promise<[Linkedom, ReadabilityModule]> | null = null;
/** Loaded on the first web page. */
function loadModules(): Promise<[Linkedom, ReadabilityModule]> {
  modules ??= Promise.all([import('linkedom'), import('@mozilla/readability')]);
  return modules;
}

/** An article shorter than this is not an article: a login page, a list of links. */
const MIN_ARTICLE_WORDS = 40;

/** The declared character set (BOM, then `<meta charset>`), else UTF-8, else Windows-1252. */
export function decodeHtml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/iu.exec(head)?.[1];
  if (declared) {
    try {
      return new TextDecoder(declared.toLowerCase()).decode(bytes);
    } catch {
      // An unknown label: fall through to the defaults.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

interface MetaSource {
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
}

function metaContent(doc: MetaSource, selectors: string[]): string | undefined {
  for (const selector of selectors) {
    const element = doc.querySelector(selector);
    const value = (element?.getAttribute('content') ?? element?.getAttribute('href') ?? '').replace(/\s+/gu, ' ').trim();
    if (value) return value;
  }
  return undefined;
}

function isoDate(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})/u.exec(value.trim());
  return match ? `${match[1] ?? ''}-${match[2] ?? ''}-${match[3] ?? ''}` : undefined;
}

function httpUrl(value: string | undefined, base: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The article of a web page (Readability over a server-side DOM), written as paragraphs with its
 * headings, and the metadata the page states: title, byline, site name, published time and its
 * canonical address. `pageUrl` is where the page was fetched from, when it was.
 */
export async function extractHtml(bytes: Uint8Array, pageUrl?: string): Promise<ExtractedText> {
  const [{ parseHTML }, { Readability }] = await loadModules();
  const html = decodeHtml(bytes);
  const { document } = parseHTML(html);
  const doc = document as unknown as MetaSource;
  const canonical = httpUrl(metaContent(doc, ['link[rel="canonical"]', 'meta[property="og:url"]']), pageUrl);
  const published = isoDate(metaContent(doc, ['meta[property="article:published_time"]', 'meta[name="date"]', 'meta[itemprop="datePublished"]', 'meta[name="pubdate"]']));
  const metaAuthor = metaContent(doc, ['meta[name="author"]', 'meta[property="article:author"]']);
  const siteName = metaContent(doc, ['meta[property="og:site_name"]', 'meta[name="application-name"]']);
  let article;
  try {
    article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 200 }).parse();
  } catch (error) {
    throw new ExtractError(`the web page could not be read (${(error as Error).message})`);
  }
  if (!article?.content) throw new ExtractError('no article found on the web page (it may be a list of links, a login page or need JavaScript)');
  const { text, sections } = await htmlFragmentToText(article.content);
  const words = text.split(/\s+/u).filter(Boolean).length;
  if (words < MIN_ARTICLE_WORDS) throw new ExtractError(`no article found on the web page (only ${String(words)} words of text outside menus and links)`);

  const meta: FormatMeta = {};
  const title = (article.title ?? '').replace(/\s+/gu, ' ').trim();
  if (title) meta.title = title;
  const byline = (article.byline ?? '').replace(/\s+/gu, ' ').replace(/^by\s+/iu, '').trim() || metaAuthor;
  if (byline) meta.author = byline;
  const site = (article.siteName ?? '').trim() || siteName;
  if (site) meta.publisher = site;
  const date = isoDate(article.publishedTime) ?? published;
  if (date) meta.date = date;
  const url = canonical ?? httpUrl(pageUrl, undefined);
  if (url) meta.url = url;
  return { format: 'html', text, sections, meta, fallbackMeta: {}, warnings: [] };
}
