import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKOUT_ROOT } from '../../src/config.js';

// `npm run ask|ingest|eval|start|register` run the JavaScript that `npm run build` (and `npm ci`,
// through `prepare`) writes to dist/. These check that build from outside: paths found from
// dist/ must still point at the checkout's corpus/ and models/, and at the compiled commands.
const DIST = path.join(CHECKOUT_ROOT, 'dist');
const built = existsSync(path.join(DIST, 'src', 'cli.js'));
const scratch = mkdtempSync(path.join(tmpdir(), 'witness-compiled-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, args, { cwd: CHECKOUT_ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, WITNESS_LOG_LEVEL: 'warn' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the compiled JavaScript in dist/', () => {
  it('exists (npm run build)', () => {
    expect(built, 'dist/ is missing: run `npm run build` (npm test and npm ci do it)').toBe(true);
  });

  it.runIf(built)('resolves the default corpus, index and model folders to the checkout, not to dist/', () => {
    const script = `const { loadCoreConfig } = await import(${JSON.stringify(path.join(DIST, 'src', 'config.js'))}); process.stdout.write(JSON.stringify(loadCoreConfig({}, {})));`;
    const run = node(['--input-type=module', '-e', script]);
    expect(run.status, run.stderr).toBe(0);
    const config = JSON.parse(run.stdout) as { corpusDir: string; indexDir: string; modelDir: string };
    expect(config.corpusDir).toBe(path.join(CHECKOUT_ROOT, 'corpus'));
    expect(config.indexDir).toBe(path.join(CHECKOUT_ROOT, 'index'));
    expect(config.modelDir).toBe(path.join(CHECKOUT_ROOT, 'models'));
  });

  it.runIf(built)('loads every command module, compiled, from dist/commands', () => {
    const script = `const { loadCommands, COMMANDS_DIR } = await import(${JSON.stringify(path.join(DIST, 'src', 'discord', 'loader.js'))}); const commands = await loadCommands(); process.stdout.write(JSON.stringify({ dir: COMMANDS_DIR, count: commands.size }));`;
    const run = node(['--input-type=module', '-e', script]);
    expect(run.status, run.stderr).toBe(0);
    const loaded = JSON.parse(run.stdout) as { dir: string; count: number };
    expect(loaded.dir).toBe(path.join(DIST, 'commands'));
    const sources = readdirSync(path.join(CHECKOUT_ROOT, 'commands')).filter((file) => file.endsWith('.ts'));
    expect(loaded.count).toBe(sources.length);
  });

  it.runIf(built)('answers the quick-start question with plain node, from the bundled corpus', () => {
    const indexDir = path.join(scratch, 'index');
    const run = node([path.join(DIST, 'src', 'cli.js'), 'ask', '--index', indexDir, '--json', 'Who published the photos of torture in Mosul?']);
    expect(run.status, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as { answered: boolean; results: { sourceId: string; start: number; end: number; quote: string }[] };
    expect(answer.answered).toBe(true);
    const first = answer.results[0];
    expect(first?.quote).toContain('Ali Arkadi');
    const text = readFileSync(path.join(CHECKOUT_ROOT, 'corpus', first?.sourceId ?? ''), 'utf8');
    expect(text.slice(first?.start, first?.end)).toBe(first?.quote);
  });
});
