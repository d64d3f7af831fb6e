import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUrl, FetchError, isBlockedAddress, type FetchOptions } from '../../src/ingest/fetch-url.js';

/** A local web server standing in for the sites moderators link to. */
let server: http.Server;
let base: string;
const pending: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    if (url === '/article') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><html><body><article><p>Words.</p></article></body></html>');
    } else if (url.startsWith('/hop/')) {
      const n = Number(url.slice('/hop/'.length));
      response.writeHead(302, { location: n > 0 ? `/hop/${String(n - 1)}` : '/article' });
      response.end();
    } else if (url === '/loop') {
      response.writeHead(301, { location: '/loop' });
      response.end();
    } else if (url === '/to-metadata') {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      response.end();
    } else if (url === '/huge') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(Buffer.alloc(64 * 1024, 0x61));
    } else if (url === '/slow') {
      pending.push(response);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  for (const response of pending) response.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const LOCAL_ALLOWED: FetchOptions = { maxBytes: 32 * 1024, timeoutMs: 2000, maxRedirects: 5, allowPrivate: true };
const DEFAULTS: FetchOptions = { ...LOCAL_ALLOWED, allowPrivate: false };

async function reason(url: string, options: FetchOptions): Promise<string> {
  try {
    await fetchUrl(url, options);
  } catch (error) {
    expect(error).toBeInstanceOf(FetchError);
    return (error as Error).message;
  }
  throw new Error(`${url} was fetched`);
}

describe('isBlockedAddress', () => {
  it('blocks loopback, private, link-local, carrier-grade NAT, multicast and mapped forms; lets public addresses through', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', 'not an ip']) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111']) expect(isBlockedAddress(address), address).toBe(false);
  });
});

describe('fetchUrl', () => {
  it('refuses this machine and private networks by default, by address and by name', async () => {
    expect(await reason(`${base}/article`, DEFAULTS)).toBe('that address is private or local, which Witness does not fetch');
    expect(await reason('http://localhost/article', DEFAULTS)).toBe('that address is private or local, which Witness does not fetch');
    expect(await reason('http://[::1]/', DEFAULTS)).toBe('that address is private or local, which Witness does not fetch');
    expect(await reason('http://169.254.169.254/latest/meta-data/', DEFAULTS)).toBe('that address is private or local, which Witness does not fetch');
  });

  it('refuses other schemes and addresses with credentials', async () => {
    expect(await reason('file:///etc/passwd', DEFAULTS)).toBe('only http and https addresses can be fetched');
    expect(await reason('ftp://example.org/a', DEFAULTS)).toBe('only http and https addresses can be fetched');
    expect(await reason('https://user:secret@example.org/', DEFAULTS)).toBe('addresses with a user name or password are not fetched');
    expect(await reason('not a url', DEFAULTS)).toMatch(/^that is not a web address/u);
  });

  it('fetches a page and follows a few redirects, reporting where it ended up', async () => {
    const page = await fetchUrl(`${base}/hop/3`, LOCAL_ALLOWED);
    expect(page.url).toBe(`${base}/article`);
    expect(page.bytes.toString()).toContain('<article>');
    expect(page.contentType).toBe('text/html');
  });

  it('checks every redirect: a public page cannot bounce the fetch to a private address', async () => {
    // Allowed to reach the local test server by name, but the hop to the cloud metadata address is still checked.
    const trusted = { ...DEFAULTS, allowHosts: ['127.0.0.1'] };
    expect((await fetchUrl(`${base}/article`, trusted)).url).toBe(`${base}/article`);
    expect(await reason(`${base}/to-metadata`, trusted)).toBe('that address is private or local, which Witness does not fetch');
  });

  it('limits redirects, bytes and time', async () => {
    expect(await reason(`${base}/loop`, LOCAL_ALLOWED)).toBe('the page redirected more than 5 times');
    expect(await reason(`${base}/huge`, LOCAL_ALLOWED)).toBe('the page is larger than the 32768-byte limit');
    expect(await reason(`${base}/slow`, { ...LOCAL_ALLOWED, timeoutMs: 300 })).toBe('the page took longer than 0 s to fetch');
    expect(await reason(`${base}/missing`, LOCAL_ALLOWED)).toBe('the site answered 404');
  });
});
