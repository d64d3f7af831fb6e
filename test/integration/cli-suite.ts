import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleWorkspace } from '../helpers/fixtures.js';
import { runCli as runCliWith, type CliRun } from '../helpers/run-cli.js';
import { startSolrCluster, type SolrCluster } from '../helpers/solr-cluster.js';

interface JsonResult {
  sourceId: string;
  title: string;
  publisher: string | null;
  date: string | null;
  paragraph: number;
  start: number;
  end: number;
  quote: string;
  score: number;
  corroboratedBy: { sourceId: string; start: number; end: number; quote: string }[];
}
interface JsonAnswer {
  question: string;
  answered: boolean;
  results: JsonResult[];
  error?: string;
}

/**
 * The CLI's tests, run on the embedded store (cli.test.ts) and with WITNESS_STORE=solr on a real
 * 2-node SolrCloud, 2 shards × 2 replicas (cli-solr.test.ts): the same tests must pass on both.
 */
export function cliSuite(store: 'embedded' | 'solr'): void {
  const workspace = sampleWorkspace();
  const paths = ['--corpus', workspace.corpusDir, '--index', workspace.indexDir];
  const fileText = (sourceId: string): string => readFileSync(path.join(workspace.corpusDir, sourceId), 'utf8');
  let cluster: SolrCluster | null = null;
  let storeEnv: Record<string, string> = {};
  /** The CLI with this suite's store settings. */
  const runCli = (args: string[], options: { input?: string; env?: Record<string, string> } = {}): CliRun => runCliWith(args, { ...options, env: { ...storeEnv, ...options.env } });

  afterAll(async () => {
    await cluster?.stop();
  });

  describe(`npm run ask (the CLI front door), ${store} store`, () => {
    beforeAll(async () => {
      if (store === 'solr') {
        cluster = await startSolrCluster();
        storeEnv = { WITNESS_STORE: 'solr', WITNESS_SOLR_URL: cluster.nodes.join(','), WITNESS_SOLR_COLLECTION: cluster.collection };
      }
      const ingest = runCli(['ingest', ...paths]);
      expect(ingest.status).toBe(0);
      expect(ingest.stdout).toMatch(/Indexed 5 documents, \d+ passages/u);
      if (store === 'solr') {
        // `ingest` sent the library to Solr; a question finds all 5 documents there and sends nothing again.
        const first = runCli(['ask', ...paths, 'Who published the photos of torture in Mosul?'], { env: { WITNESS_LOG_LEVEL: 'info' } });
        expect(first.stderr).toMatch(/"store":"solr".*"sent":0,"unchanged":5/u);
      }
    });

    it('answers the quick-start question with a verbatim, cited quote', () => {
      const run = runCli(['ask', ...paths, 'Who published the photos of torture in Mosul?']);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('These materials were published by a photographer named Ali Arkadi.');
      expect(run.stdout).toContain('Photo Evidence of Mass Torture and Executions in Iraq');
      expect(run.stdout).toMatch(/002_7164e3e001d81504\.txt, paragraph \d+, characters \d+–\d+/u);
    });

    it('--json prints exactly one object per question and nothing else on stdout; every quote is the file slice at its offsets', () => {
      const run = runCli(['ask', ...paths, '--json', '--k', '5', 'What did survivors say the militias beat them with?']);
      expect(run.status).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const answer = JSON.parse(lines[0]!) as JsonAnswer;
      expect(answer.answered).toBe(true);
      expect(answer.results.length).toBeGreaterThan(0);
      expect(answer.results.length).toBeLessThanOrEqual(5);
      for (const result of answer.results) {
        expect(Object.keys(result)).toEqual(expect.arrayContaining(['sourceId', 'title', 'publisher', 'date', 'paragraph', 'start', 'end', 'quote', 'score']));
        expect(result.quote).toBe(fileText(result.sourceId).slice(result.start, result.end));
        for (const other of result.corroboratedBy) expect(other.quote).toBe(fileText(other.sourceId).slice(other.start, other.end));
      }
      const scores = answer.results.map((r) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('groups the survivor testimony told in two articles: one quote, several citations', () => {
      const run = runCli(['ask', ...paths, '--json', 'There was blood on the walls, they hit us with metal rods and pipes']);
      const answer = JSON.parse(run.stdout) as JsonAnswer;
      const testimony = answer.results.find((r) => r.quote.includes('metal rods, shovels, pipes, cables'));
      expect(testimony).toBeDefined();
      const sources = new Set([testimony!.sourceId, ...testimony!.corroboratedBy.map((c) => c.sourceId)]);
      expect(sources).toEqual(new Set(['000_93204e62e34d1ad1.txt', '001_f9e13c605d763562.txt']));
      expect(answer.results.filter((r) => r.quote.includes('metal rods, shovels, pipes, cables'))).toHaveLength(1);
    });

    it('quotes a testimony of several sentences whole, with the speaker named after it', () => {
      const run = runCli(['ask', ...paths, '--json', 'How was the detainee tortured near the village of Hajj Ali?']);
      const top = (JSON.parse(run.stdout) as JsonAnswer).results[0]!;
      expect(top.sourceId).toBe('001_f9e13c605d763562.txt');
      expect(top.quote).toMatch(/^“They beat me with a thick cable on the soles of my feet\./u);
      expect(top.quote).toMatch(/said\sanother\sman, who claimed he was tortured at an Iraqi military facility near the village of Hajj Ali in June, 2016\.$/u);
      expect(top.quote).toBe(fileText(top.sourceId).slice(top.start, top.end));
    });

    it('says so when the library does not answer, instead of returning noise', () => {
      const json = runCli(['ask', ...paths, '--json', 'What is the capital of Australia?']);
      expect(JSON.parse(json.stdout)).toMatchObject({ answered: false, results: [] });
      const human = runCli(['ask', ...paths, 'Who won the 2018 FIFA World Cup?']);
      expect(human.status).toBe(0);
      expect(human.stdout).toContain('The library does not answer this question.');
    });

    it('reads questions from stdin, one per line; a bad line gets an error field and the rest are answered', () => {
      const long = 'why '.repeat(300);
      const run = runCli(['ask', ...paths, '--json'], { input: `What was the Camp Speicher massacre?\n   \n${long}\nWhere is Abu Bakr al-Baghdadi said to be hiding?\n` });
      expect(run.status).toBe(2);
      const answers = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as JsonAnswer);
      expect(answers).toHaveLength(4);
      expect(answers[0]!.answered).toBe(true);
      expect(answers[1]!.error).toMatch(/empty/u);
      expect(answers[2]!.error).toMatch(/limit is 1000/u);
      expect(answers[3]!.results[0]!.quote).toContain('hiding in Mosul');
    });

    it('rejects an empty or over-long question with one line on stderr and exit code 2', () => {
      for (const question of ['   ', 'x'.repeat(1001)]) {
        const run = runCli(['ask', ...paths, question]);
        expect(run.status).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'))).toHaveLength(1);
      }
    });

    it('names a corpus folder that does not exist in one line, without a system error code', () => {
      const run = runCli(['ask', '--corpus', '/nonexistent-witness-corpus', '--index', path.join(tmpdir(), 'witness-no-corpus-index'), 'hello']);
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'));
      expect(lines).toEqual(['error: the corpus folder /nonexistent-witness-corpus does not exist (set it with --corpus or WITNESS_CORPUS_DIR)']);
    });

    it('prints usage and exits 2 on an unknown flag', () => {
      const run = runCli(['ask', '--frobnicate', 'hello']);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/unknown option '--frobnicate'/u);
      expect(run.stderr).toMatch(/Usage: witness ask/u);
    });

    it('eval reports every metric for lexical, dense and hybrid side by side', () => {
      const run = runCli(['eval', ...paths, path.join(import.meta.dirname, '../fixtures/qa-small.jsonl'), '--json']);
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout) as { runs: { mode: string; hitAt1: number; verbatimRate: number; abstention: number }[] };
      expect(report.runs.map((r) => r.mode)).toEqual(['lexical', 'dense', 'hybrid']);
      for (const metrics of report.runs) {
        expect(metrics.verbatimRate).toBe(1);
        expect(metrics.abstention).toBe(1);
        expect(metrics.hitAt1).toBeGreaterThan(0.5);
      }
    });
  });
}
