import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SolrClient } from '../../src/store/solr/solr-client.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

// No Solr here: a port fetch refuses to use, and a port nobody listens on.
describe('the Solr client when Solr is not answering', () => {
  it('names what went wrong with each node, never a bare "TypeError"', async () => {
    const refused = `http://127.0.0.1:${String(await closedPort())}/solr`;
    // Port 1 is on fetch's list of blocked ports: it fails with a TypeError whose cause has no code.
    const client = new SolrClient({ baseUrl: ['http://127.0.0.1:1/solr', refused], collection: 'witness', timeoutMs: 2000 });
    const error = await client.count([]).then(
      () => null,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).toBe(`Solr is unreachable at http://127.0.0.1:1/solr/witness (bad port), ${refused}/witness (ECONNREFUSED)`);
  });
});
