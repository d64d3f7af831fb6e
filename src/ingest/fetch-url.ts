import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/** Why a web address could not be fetched; the message is for the person who gave it. */
export class FetchError extends Error {
  override readonly name = 'FetchError';
}

export interface FetchOptions {
  maxBytes: number;
  /** For the whole fetch, redirects included. */
  timeoutMs: number;
  maxRedirects: number;
  /** Allow loopback, private and link-local addresses (tests against a local server only). */
  allowPrivate: boolean;
  /** Hosts fetched even though they are private (an intranet site the operator trusts), by name or address. */
  allowHosts?: string[];
}

export interface FetchedPage {
  /** Where the page was finally read from, after redirects. */
  url: string;
  bytes: Buffer;
  contentType: string | null;
}

/** Addresses a server-side fetch must never reach unless told to: this machine, the private network, cloud metadata. */
const BLOCKED = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local, multicast or otherwise not on the public internet. */
export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is that IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/iu.exec(address)?.[1];
    if (mapped) return BLOCKED.check(mapped, 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return BLOCKED.check(address, 'ipv4');
}

/** A DNS lookup that refuses names resolving to blocked addresses, so the check and the connection use the same address. */
function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = (addresses as unknown as LookupAddress[]).filter((entry) => allowPrivate || !isBlockedAddress(entry.address));
      if (list.length === 0) return callback(new FetchError(`${hostname} resolves only to private or local addresses, which Witness does not fetch`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

function checkUrl(raw: string, options: FetchOptions): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError('that is not a web address (it must start with https:// or http://)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FetchError('only http and https addresses can be fetched');
  if (url.username || url.password) throw new FetchError('addresses with a user name or password are not fetched');
  const host = url.hostname.replace(/^\[|\]$/gu, '');
  const allowPrivate = options.allowPrivate || (options.allowHosts ?? []).includes(host);
  if (net.isIP(host) !== 0 && !allowPrivate && isBlockedAddress(host)) throw new FetchError('that address is private or local, which Witness does not fetch');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local'))) {
    throw new FetchError('that address is private or local, which Witness does not fetch');
  }
  return url;
}

function getOnce(url: URL, options: FetchOptions, signal: AbortSignal): Promise<{ status: number; location: string | null; contentType: string | null; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(
      url,
      {
        lookup: guardedLookup(options.allowPrivate || (options.allowHosts ?? []).includes(url.hostname)),
        signal,
        headers: { 'user-agent': 'WitnessBot/0.1 (+document library)', accept: 'text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = typeof response.headers.location === 'string' ? response.headers.location : null;
        const contentType = response.headers['content-type'] ?? null;
        if (status >= 300 && status < 400) {
          response.resume();
          resolve({ status, location, contentType, bytes: Buffer.alloc(0) });
          return;
        }
        const declared = Number(response.headers['content-length'] ?? '0');
        if (declared > options.maxBytes) {
          response.destroy();
          reject(new FetchError(`the page is larger than the ${String(options.maxBytes)}-byte limit`));
          return;
        }
        const parts: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            response.destroy();
            reject(new FetchError(`the page is larger than the ${String(options.maxBytes)}-byte limit`));
            return;
          }
          parts.push(chunk);
        });
        response.on('end', () => resolve({ status, location, contentType, bytes: Buffer.concat(parts) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

/**
 * Fetches a web page for the library, as a careful server-side client must: http(s) only, no
 * private or local addresses (checked on every redirect and at connection time, so DNS cannot
 * swap them in), a limit on redirects, on bytes and on time.
 */
export async function fetchUrl(raw: string, options: FetchOptions): Promise<FetchedPage> {
  let url = checkUrl(raw, options);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await getOnce(url, options, signal);
      if (response.status >= 300 && response.status < 400) {
        if (!response.location) throw new FetchError(`the site answered ${String(response.status)} without saying where to go`);
        if (redirects >= options.maxRedirects) throw new FetchError(`the page redirected more than ${String(options.maxRedirects)} times`);
        url = checkUrl(new URL(response.location, url).toString(), options);
        continue;
      }
      if (response.status !== 200) throw new FetchError(`the site answered ${String(response.status)}`);
      return { url: url.toString(), bytes: response.bytes, contentType: response.contentType };
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (signal.aborted) throw new FetchError(`the page took longer than ${String(Math.round(options.timeoutMs / 1000))} s to fetch`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw new FetchError(`no such site (${url.hostname})`);
    if (code === 'ECONNREFUSED') throw new FetchError('the site refused the connection');
    throw new FetchError(`the page could not be fetched (${code ?? (error as Error).message})`);
  }
}
