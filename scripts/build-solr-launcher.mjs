// Builds the Solr launcher (solr/cluster, Maven Central jars, Java 17) that the Solr store's
// tests start a local SolrCloud with, when Java and Maven are on this machine and the jar is
// missing or older than its sources. Without them it says so in one line and the Solr tests
// are skipped (their titles say what they need). Run by `npm test`; .ci/run builds it too.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { log } from 'node:console';

const root = path.join(import.meta.dirname, '..', 'solr', 'cluster');
const jar = path.join(root, 'target', 'witness-solr-cluster.jar');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sourcesChanged = () => Math.max(statSync(path.join(root, 'pom.xml')).mtimeMs, newestSource(path.join(root, 'src'))) > statSync(jar).mtimeMs;
if (existsSync(jar) && !sourcesChanged()) process.exit(0);

const has = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
if (!has('java', ['-version']) || !has('mvn', ['-v'])) {
  log('Solr launcher not built (Java 17 and Maven are needed): the Solr tests will be skipped.');
  process.exit(0);
}
log('Building the Solr launcher for the Solr tests (mvn -q -B -f solr/cluster/pom.xml package)…');
const built = spawnSync('mvn', ['-q', '-B', '-f', path.join(root, 'pom.xml'), 'package'], { stdio: 'inherit' });
if (built.status !== 0) {
  log('The Solr launcher did not build: the Solr tests will be skipped.');
}
