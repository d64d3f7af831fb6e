import { describe } from 'vitest';
import { solrAvailable } from '../helpers/solr-cluster.js';
import { serversSuite } from './servers-suite.js';

/** The two-server suite with every library in one Solr collection, each read and write scoped by server. Needs the Solr launcher (built by `npm test` and .ci/run). */
if (solrAvailable) serversSuite('solr');
else describe.skip('servers on Solr (the launcher is not built: mvn -q -f solr/cluster/pom.xml package)', () => undefined);
