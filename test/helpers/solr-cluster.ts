import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../src/config.js';

/** The launcher built by `mvn -f solr/cluster/pom.xml package` (.ci/run builds it; solr/README.md). */
export const SOLR_JAR = path.join(PROJECT_ROOT, 'solr', 'cluster', 'target', 'witness-solr-cluster.jar');
export const solrAvailable = existsSync(SOLR_JAR);

/** A real local SolrCloud (embedded ZooKeeper, Jetty nodes on loopback) driven over its stdin protocol. */
export interface SolrCluster {
  nodes: string[];
  /** The JVM's process id (for its memory). */
  pid: number;
  collection: string;
  command(line: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface SolrClusterOptions {
  nodes?: number;
  shards?: number;
  replicas?: number;
  /** JVM heap limit (the one JVM holds ZooKeeper and every node); 512m for tests. */
  heap?: string;
  /** Keep the nodes' data here (for measuring it); a fresh temporary folder by default. */
  dir?: string;
}

export async function startSolrCluster(options: SolrClusterOptions = {}): Promise<SolrCluster> {
  const args = [`-Xmx${options.heap ?? '512m'}`, '-jar', SOLR_JAR, '--nodes', String(options.nodes ?? 2), '--shards', String(options.shards ?? 2), '--replicas', String(options.replicas ?? 2)];
  if (options.dir) args.push('--dir', options.dir, '--clean');
  const child: ChildProcessWithoutNullStreams = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  const early: string[] = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else early.push(line);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const nextLine = (timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const queued = early.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error(`Solr launcher said nothing for ${String(timeoutMs)} ms; stderr: ${stderr}`)), timeoutMs);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  const ready = JSON.parse(await nextLine(120_000)) as { ready: boolean; nodes: string[]; collection: string; pid: number; error?: string };
  if (!ready.ready) throw new Error(`Solr did not start: ${ready.error ?? 'unknown'}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    nodes: ready.nodes,
    pid: ready.pid,
    collection: ready.collection,
    async command(line) {
      child.stdin.write(`${line}\n`);
      return JSON.parse(await nextLine(120_000)) as Record<string, unknown>;
    },
    async stop() {
      child.stdin.end();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
