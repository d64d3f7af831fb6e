import { describe, expect, it } from 'vitest';
import { SolrClient } from '../../src/store/solr/solr-client.js';
import { freePort } from '../helpers/ports.js';

// No Solr here: a port fetch refuses to use, and a port nobody listens on.
describe('the Solr client when Solr is not answering', () => {
  it('names what went wrong with each node, never a bare "TypeError"', async () => {
    const refused = `http://127.0.0.1:${String(await freePort())}/solr`;
    // Port 1 is on fetch's list of blocked ports: it fails with a TypeError whose cause has no code.
    const client = new SolrClient({ baseUrl: ['http://127.0.0.1:1/solr', refused], collection: 'witness', timeoutMs: 2000 });
    const error = await client.count([]).then(
      () => null,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).toBe(`Solr is unreachable at http://127.0.0.1:1/solr/witness (bad port), ${refused}/witness (ECONNREFUSED)`);
  });
});
