import { createRequire } from 'node:module';
import { z } from 'zod';
import type { Span } from './types.js';

const dateLike = z.union([z.string(), z.date().transform((date) => date.toISOString().slice(0, 10))]);

/** Metadata a library owner can state for a document (front matter or `<file>.meta.json`). */
export const MetaOverridesSchema = z
  .object({
    title: z.string().trim().min(1).optional(),
    url: z.url().optional(),
    publisher: z.string().trim().min(1).optional(),
    date: dateLike.optional(),
    author: z.string().trim().min(1).optional(),
    /** Other names of the author people use: one string, or a list ("Ike", "General Eisenhower"). */
    aliases: z
      .union([z.string().trim().min(1).transform((alias) => [alias]), z.array(z.string().trim().min(1)).max(50)])
      .optional(),
  })
  .loose();

export type MetaOverrides = z.infer<typeof MetaOverridesSchema>;

export interface FrontMatter {
  /** Where the document's body starts: the front matter block is not quoted from. */
  bodyStart: number;
  overrides: MetaOverrides;
  warning: string | null;
}

type YamlModule = typeof import('yaml');
let yaml: YamlModule | null = null;
/** The YAML parser is loaded on the first document with front matter: most libraries have none, and it costs ~0.1 s at start-up. */
function parseYaml(source: string): unknown {
  yaml ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yaml.parse(source);
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/u;

/** Reads YAML front matter at the top of a document, if any. A malformed block is reported, not fatal. */
export function readFrontMatter(text: string): FrontMatter {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { bodyStart: 0, overrides: {}, warning: null };
  const bodyStart = match[0].length;
  try {
    const parsed = MetaOverridesSchema.safeParse(parseYaml(match[1] ?? '') ?? {});
    if (!parsed.success) {
      return { bodyStart, overrides: {}, warning: `front matter ignored: ${z.prettifyError(parsed.error).replace(/\n/gu, '; ')}` };
    }
    return { bodyStart, overrides: parsed.data, warning: null };
  } catch (error) {
    return { bodyStart, overrides: {}, warning: `front matter ignored: not valid YAML (${(error as Error).message.split('\n')[0] ?? ''})` };
  }
}

/** Parses a `<file>.meta.json` sidecar; returns a warning instead of throwing on bad input. */
export function parseSidecar(json: string): { overrides: MetaOverrides; warning: string | null } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { overrides: {}, warning: 'sidecar ignored: not valid JSON' };
  }
  const parsed = MetaOverridesSchema.safeParse(raw);
  if (!parsed.success) {
    return { overrides: {}, warning: `sidecar ignored: ${z.prettifyError(parsed.error).replace(/\n/gu, '; ')}` };
  }
  return { overrides: parsed.data, warning: null };
}

export type { Span };
