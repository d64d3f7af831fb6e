import { describe, it } from 'vitest';
import { solrAvailable } from '../helpers/solr-cluster.js';
import { cliSuite } from './cli-suite.js';

// Every CLI test, with WITNESS_STORE=solr on a real local SolrCloud (needs the launcher:
// mvn -q -f solr/cluster/pom.xml package, which .ci/run does).
if (solrAvailable) cliSuite('solr');
else describe.skip('the CLI on Solr (the launcher is not built: mvn -q -f solr/cluster/pom.xml package)', () => it('answers from Solr', () => undefined));
