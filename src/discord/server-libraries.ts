import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CoreConfig } from '../config.js';
import type { LibraryDocument } from '../library/types.js';
import type { Logger } from '../log.js';
import { readPointer } from '../store/atomic-dir.js';
import { openWitness, type Witness } from '../witness.js';
import { UserError } from './errors.js';
import { LibraryState } from './library-state.js';

/** Which library a passage comes from: the server's own, or the operator's shared base library. */
export type LibraryLabel = 'server' | 'base';

export interface ScopedLibrary {
  label: LibraryLabel;
  state: LibraryState;
}

export interface ServerSettings {
  /** Whether the server's questions also search the base library (on unless a moderator turns it off). */
  base: boolean;
}

export interface ServerLimits {
  documents: number;
  bytes: number;
}

export interface ServerLibrariesOptions {
  /** One folder per server under this: `<server id>/corpus`, `<server id>/index`, `<server id>/settings.json`. */
  root: string;
  /** Open server libraries are closed, least recently used first, while their estimated size is over this. */
  budgetBytes: number;
  limits: ServerLimits;
  /** The base library's settings; a server library uses them with its own folders and the embedded store. */
  core: CoreConfig;
  logger: Logger;
  /** Opens a server's library folder with the base library's model (default: openWitness, scoped to the server on Solr); tests may pass a stand-in. */
  open?: (config: CoreConfig, model: Witness['embedder'], serverId: string) => Promise<Witness>;
  /**
   * Finishes a library that opened with provisional documents (a quick add whose sentences were
   * not embedded before the bot stopped, say), in the background. With it, the default opener
   * answers at once from the provisional vectors instead of embedding the sentences first, while
   * the first question waits.
   */
  finishProvisional?: (serverId: string, state: LibraryState) => void;
}

/**
 * An open library's memory per byte of its index on disk: 200 server libraries with 1,456 MB of
 * index files took 2,257 MB of resident memory when all were open (BENCHMARKS.md, "Many servers").
 */
const MEMORY_PER_INDEX_BYTE = 1.55;

const SettingsSchema = z.object({ base: z.boolean().default(true) });
const SERVER_ID = /^\d{15,21}$/u;

interface OpenLibrary {
  state: Promise<LibraryState>;
  /** The same, once open. */
  ready?: LibraryState;
  /** Its estimated memory: its index's size on disk × MEMORY_PER_INDEX_BYTE (vectors, texts, word index). */
  bytes: number;
  used: number;
}

/**
 * Every server's own library, plus the base library they share. A server's library lives in its
 * own folder, is opened on first use with the one model the bot has loaded, and is closed again
 * (least recently used first) when the open ones outgrow the memory budget. Nothing of one
 * server is reachable from another: every lookup starts from the server id of the interaction.
 */
export class ServerLibraries {
  private readonly opened = new Map<string, OpenLibrary>();
  private readonly knownSettings = new Map<string, ServerSettings>();
  private clock = 0;

  constructor(
    readonly base: LibraryState,
    private readonly options: ServerLibrariesOptions,
  ) {}

  get limits(): ServerLimits {
    return this.options.limits;
  }

  /** The libraries an interaction searches: in a server its own (when it has documents) and the base (unless turned off); in a DM the base alone. */
  async scope(serverId: string | null): Promise<ScopedLibrary[]> {
    if (serverId === null) return [{ label: 'base', state: this.base }];
    const [own, settings] = await Promise.all([this.server(serverId), this.settings(serverId)]);
    const scope: ScopedLibrary[] = [];
    if (own && own.current.library.documents.length > 0) scope.push({ label: 'server', state: own });
    if (settings.base) scope.push({ label: 'base', state: this.base });
    return scope;
  }

  /** A server's own library, opened if need be; null when it has none yet (unless `create`). */
  async server(serverId: string, create = false): Promise<LibraryState | null> {
    const folder = this.folder(serverId);
    const open = this.opened.get(serverId);
    if (open) {
      open.used = ++this.clock;
      return open.state;
    }
    if (!create && !(await exists(path.join(folder, 'corpus')))) return null;
    // The same store as the base library: on Solr, one collection with every read and write scoped to the server.
    const config: CoreConfig = { ...this.options.core, corpusDir: path.join(folder, 'corpus'), indexDir: path.join(folder, 'index') };
    const logger = this.options.logger.child({ library: 'server', guildId: serverId });
    const quick = this.options.finishProvisional !== undefined;
    const opener = this.options.open ?? ((c: CoreConfig, model: Witness['embedder'], guild: string) => openWitness(c, logger, { model: Promise.resolve(model), guild, provisional: quick }));
    const opening = async (): Promise<LibraryState> => {
      await mkdir(config.corpusDir, { recursive: true });
      return new LibraryState(await opener(config, this.base.current.embedder, serverId), config, logger, serverId);
    };
    // Everyone waiting on the opening (two questions at once) gets the same library, or the same plain refusal.
    const state = opening().catch((error: unknown) => {
      this.opened.delete(serverId);
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'server library could not be opened');
      throw new UserError("This server's library could not be opened. The base library still answers; ask the bot's operator to check the server's folder.");
    });
    const entry: OpenLibrary = { state, bytes: 0, used: ++this.clock };
    this.opened.set(serverId, entry);
    entry.ready = await state;
    logger.info({ event: 'library-opened', documents: entry.ready.current.library.documents.length }, 'server library opened');
    await this.measure(serverId);
    if (entry.ready.current.report.provisional > 0) this.options.finishProvisional?.(serverId, entry.ready);
    return entry.state;
  }

  /** Re-reads the size of a server's index after it changed, and closes others if the budget is exceeded. */
  async measure(serverId: string): Promise<void> {
    const entry = this.opened.get(serverId);
    if (!entry) return;
    entry.bytes = Math.round(MEMORY_PER_INDEX_BYTE * (await indexBytes(path.join(this.folder(serverId), 'index'))));
    this.evict(serverId);
  }

  private evict(keep: string): void {
    let total = [...this.opened.values()].reduce((sum, entry) => sum + entry.bytes, 0);
    const byAge = [...this.opened.entries()].filter(([id]) => id !== keep).sort((a, b) => a[1].used - b[1].used);
    for (const [id, entry] of byAge) {
      if (total <= this.options.budgetBytes) break;
      this.opened.delete(id);
      total -= entry.bytes;
      this.options.logger.info({ event: 'library-closed', guildId: id, bytes: entry.bytes }, 'server library closed (memory budget)');
    }
  }

  /** Server libraries open now, with their documents and estimated bytes (for /metrics: counts only, never names). */
  openLibraries(): { documents: number; bytes: number }[] {
    return [...this.opened.values()].flatMap((entry) => (entry.ready ? [{ documents: entry.ready.current.library.documents.length, bytes: entry.bytes }] : []));
  }

  get openCount(): number {
    return this.opened.size;
  }

  /** A server's settings, read from its folder once and then kept (every interaction asks). */
  async settings(serverId: string): Promise<ServerSettings> {
    const known = this.knownSettings.get(serverId);
    if (known) return known;
    let settings: ServerSettings;
    try {
      settings = SettingsSchema.parse(JSON.parse(await readFile(path.join(this.folder(serverId), 'settings.json'), 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.logger.warn({ guildId: serverId }, 'server settings unreadable: defaults used');
      settings = { base: true };
    }
    this.knownSettings.set(serverId, settings);
    return settings;
  }

  async updateSettings(serverId: string, change: Partial<ServerSettings>): Promise<ServerSettings> {
    const folder = this.folder(serverId);
    const next = { ...(await this.settings(serverId)), ...change };
    await mkdir(folder, { recursive: true });
    const temporary = path.join(folder, `settings.json.${String(process.pid)}.tmp`);
    await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`);
    await rename(temporary, path.join(folder, 'settings.json'));
    this.knownSettings.set(serverId, next);
    return next;
  }

  /** Bytes of the documents in a server's corpus folder. */
  async corpusBytes(serverId: string): Promise<number> {
    return folderBytes(path.join(this.folder(serverId), 'corpus'));
  }

  /**
   * Refuses with a message for the moderator when adding `bytes` more would pass the server's
   * limits. `countDocuments: false` once the add holds its place (LibraryState.reserveDocument),
   * when only the downloaded size is left to check.
   */
  async checkRoom(serverId: string, state: LibraryState, bytes: number, countDocuments = true): Promise<void> {
    const { documents, bytes: maxBytes } = this.options.limits;
    if (countDocuments && state.documentCount >= documents) {
      throw new UserError(`This server's library is full: it holds ${String(state.current.library.documents.length)} documents and the limit is ${String(documents)}. Remove one with /library remove first. Nothing was added.`);
    }
    const used = await this.corpusBytes(serverId);
    if (used + bytes > maxBytes) {
      throw new UserError(`This server's library would pass its size limit (${megabytes(used)} of ${megabytes(maxBytes)} used; this file is ${megabytes(bytes)}). Remove documents with /library remove first. Nothing was added.`);
    }
  }

  /**
   * Deletes a document of a server's library from its folder (with its sidecar) and re-indexes
   * that library only. The id must be one of the server's own documents: any other is refused.
   */
  async remove(serverId: string, sourceId: string): Promise<LibraryDocument> {
    const state = await this.server(serverId);
    const document = state?.current.library.document(sourceId);
    if (!state || !document) throw new UserError("That document is not in this server's library. /library list shows what is.");
    const corpus = path.resolve(path.join(this.folder(serverId), 'corpus'));
    const file = path.resolve(corpus, sourceId);
    if (!file.startsWith(corpus + path.sep)) throw new UserError("That document is not in this server's library.");
    await rm(file, { force: true });
    await rm(`${file}.meta.json`, { force: true });
    await state.reindex();
    await this.measure(serverId);
    return document;
  }

  private folder(serverId: string): string {
    if (!SERVER_ID.test(serverId)) throw new Error(`not a server id: ${serverId}`);
    return path.join(this.options.root, serverId);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function indexBytes(indexDir: string): Promise<number> {
  const generation = await readPointer(indexDir).catch(() => null);
  return generation ? folderBytes(path.join(indexDir, generation)) : 0;
}

/** A size for a moderator to read: "12.3 MB". */
export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
