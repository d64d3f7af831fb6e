import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCoreConfig, PROJECT_ROOT } from '../../src/config.js';

describe('loadCoreConfig', () => {
  it('defaults to the bundled library, the vendored model and an index beside them', () => {
    const config = loadCoreConfig({}, {});
    expect(config).toMatchObject({
      corpusDir: path.join(PROJECT_ROOT, 'corpus'),
      indexDir: path.join(PROJECT_ROOT, 'index'),
      modelDir: path.join(PROJECT_ROOT, 'models'),
      modelId: 'Xenova/e5-small-v2',
      allowRemoteModels: false,
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = { WITNESS_CORPUS_DIR: '/tmp/a', WITNESS_MAX_FILE_BYTES: '2048', WITNESS_ALLOW_REMOTE_MODELS: 'true' };
    expect(loadCoreConfig({}, env)).toMatchObject({ corpusDir: '/tmp/a', maxFileBytes: 2048, allowRemoteModels: true });
    expect(loadCoreConfig({ corpusDir: '/tmp/b' }, env).corpusDir).toBe('/tmp/b');
  });

  it('names the bad setting and its variable, never its value', () => {
    const secretish = 'not-a-number-s3cr3t';
    try {
      loadCoreConfig({}, { WITNESS_MAX_FILE_BYTES: secretish });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('WITNESS_MAX_FILE_BYTES');
      expect((error as Error).message).not.toContain(secretish);
    }
  });

  it('says in words what a number setting needs, not "received NaN"', () => {
    expect(() => loadCoreConfig({}, { WITNESS_MAX_PAGES: 'lots' })).toThrow('WITNESS_MAX_PAGES (maxPages): must be a number');
    expect(() => loadCoreConfig({}, { WITNESS_MAX_PAGES: '2.5' })).toThrow('WITNESS_MAX_PAGES (maxPages): must be a whole number');
    expect(() => loadCoreConfig({}, { WITNESS_EMBED_THREADS: 'x' })).toThrow(/WITNESS_EMBED_THREADS \(embedThreads\): must be a number$/u);
  });
});
