// Recompile hnswlib-node's addon for the CPU it is installed on. Run by `prepare` (npm ci / npm install).
//
// npm builds hnswlib-node with node-gyp's default flags, which leave out hnswlib's AVX and AVX-512
// distance code (chosen at compile time by __AVX__ / __AVX512F__). On a 2-core Xeon with AVX-512,
// 100k 384-d vectors, the default build searched at 0.71x FAISS HNSW's queries/s at recall 0.99
// and the same source compiled with -march=native at 1.00x. So this script compiles the
// package again with `-O3 -march=native` and swaps the result in, but only once it has loaded
// and answered a search correctly.
//
// It must never break an install: every failure prints one warning line, keeps npm's build and
// exits 0. It skips, with one line on stderr saying why, when:
//   - WITNESS_PORTABLE_HNSWLIB=1 (node_modules built here but run on another CPU, e.g. Docker);
//   - the machine is not Linux on x86-64, or there is no C++ compiler or make;
//   - the addon in place is the one this script built for the same flags and CPU (a stamp file
//     next to it says so), so a repeated `npm install` stays fast.
//
// Nothing is downloaded: node-gyp gets Node's local headers (--nodedir), or the build is skipped.
//
// Usage: node scripts/build-hnswlib.mjs   (npm runs it; --verify ADDON is the internal child mode)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const FLAGS = '-O3 -march=native';
const STAMP_NAME = 'witness-flags.json';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const say = (line) => process.stderr.write(`build-hnswlib: ${line}\n`);

/** Thrown for a reason not to build: printed as "skipped", where any other error is a warning. */
class Skip extends Error {}

if (process.argv[2] === '--verify') {
  try {
    verify(process.argv[3]);
  } catch (error) {
    process.stderr.write(`${firstLine(error)}\n`);
    process.exitCode = 1;
  }
} else {
  try {
    main();
  } catch (error) {
    if (error instanceof Skip) say(`skipped: ${error.message}`);
    else say(`warning: could not compile hnswlib-node for this CPU, the addon in place is kept (${firstLine(error)})`);
  }
  process.exitCode = 0;
}

function main() {
  const started = performance.now();
  const requireFromRoot = createRequire(path.join(root, 'package.json'));
  let packageDir;
  try {
    packageDir = path.dirname(requireFromRoot.resolve('hnswlib-node/package.json'));
  } catch {
    throw new Skip('hnswlib-node is not installed');
  }
  const addon = path.join(packageDir, 'build', 'Release', 'addon.node');
  const stampFile = path.join(packageDir, 'build', STAMP_NAME);

  if (process.env.WITNESS_PORTABLE_HNSWLIB === '1') {
    // A native addon from an earlier install stays in place: npm does not rebuild it by itself.
    throw new Skip(
      fs.existsSync(stampFile)
        ? 'WITNESS_PORTABLE_HNSWLIB=1, but an earlier install compiled the addon in place for this CPU: `npm rebuild hnswlib-node` restores the portable build'
        : "WITNESS_PORTABLE_HNSWLIB=1, npm's portable build is kept",
    );
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Skip(`only done on Linux x86-64 (this is ${process.platform} ${process.arch})`);
  }

  const target = nativeTarget();
  const stamp = {
    flags: FLAGS,
    hnswlibNode: requireFromRoot('hnswlib-node/package.json').version,
    simd: target.simd,
    // The compiler's predefined macros under FLAGS: they name the CPU features -march=native
    // picked and the compiler version, so a different CPU or compiler gives a different hash.
    targetMacrosSha256: target.sha256,
  };
  if (builtAlready(stampFile, addon, stamp)) {
    throw new Skip(`hnswlib-node was already compiled for this CPU (${FLAGS}, ${describe(stamp.simd)})`);
  }

  const nodeGyp = findNodeGyp();
  const nodeDir = findNodeHeaders();

  // Build in a copy (a failed compile never touches the working addon), next to the package
  // inside node_modules so that `require('node-addon-api')` in binding.gyp resolves as it does
  // for npm's build; NODE_PATH covers a node-addon-api nested under hnswlib-node itself.
  const work = fs.mkdtempSync(path.join(path.dirname(packageDir), '.witness-hnswlib-build-'));
  try {
    fs.cpSync(packageDir, work, { recursive: true, filter: (source) => source !== path.join(packageDir, 'build') });
    const addonApi = path.dirname(createRequire(path.join(packageDir, 'package.json')).resolve('node-addon-api/package.json'));
    const env = {
      ...process.env,
      // gyp's make generator appends CXXFLAGS from the environment to its own flags.
      CXXFLAGS: FLAGS,
      NODE_PATH: [path.dirname(addonApi), process.env.NODE_PATH].filter(Boolean).join(path.delimiter),
    };
    const gyp = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`], { cwd: work, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (gyp.status !== 0) {
      const output = `${gyp.stderr ?? ''}\n${gyp.stdout ?? ''}`.split('\n');
      const error = output.find((line) => /\berror\b/i.test(line)) ?? gyp.error?.message ?? `node-gyp exited with ${String(gyp.status ?? gyp.signal)}`;
      throw new Error(`compile failed: ${error.trim()}`);
    }
    const built = path.join(work, 'build', 'Release', 'addon.node');

    // Load and query it in a child, so an illegal instruction or a crash cannot take this process down.
    const check = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--verify', built], { encoding: 'utf8', timeout: 60_000 });
    if (check.status !== 0) {
      throw new Error(`the new addon failed its check: ${firstLine(check.stderr || check.error || `signal ${String(check.signal)}`)}`);
    }

    // Copy beside the old addon, then rename over it: the switch is atomic, and a process that
    // has the old file loaded keeps it.
    fs.mkdirSync(path.dirname(addon), { recursive: true });
    fs.copyFileSync(built, `${addon}.new`);
    fs.renameSync(`${addon}.new`, addon);
    fs.writeFileSync(stampFile, `${JSON.stringify({ ...stamp, addonSha256: sha256(fs.readFileSync(addon)) }, null, 2)}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  say(`compiled hnswlib-node for this CPU (${FLAGS}, ${describe(stamp.simd)}) in ${seconds.toFixed(1)} s; set WITNESS_PORTABLE_HNSWLIB=1 to keep npm's portable build`);
}

/** The compiler gyp's Makefile will use, asked what FLAGS enable here. Skips when there is none. */
function nativeTarget() {
  // The Makefile runs $(CXX), make's default being g++; CXX may hold arguments ("ccache g++").
  const cxx = process.env.CXX || 'g++';
  const macros = spawnSync(`${cxx} ${FLAGS} -dM -E -x c++ /dev/null`, { shell: true, encoding: 'utf8' });
  if (macros.status !== 0) throw new Skip(`no working C++ compiler (${cxx} ${FLAGS} failed)`);
  if (spawnSync('make', ['--version']).status !== 0) throw new Skip('make is not installed');
  const lines = macros.stdout.split('\n').sort();
  const simd = lines.map((line) => /^#define __(AVX\w*|FMA|SSE4_2)__ /.exec(line)?.[1]).filter(Boolean);
  return { simd, sha256: sha256(lines.join('\n')) };
}

function builtAlready(stampFile, addon, stamp) {
  try {
    const previous = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    const { addonSha256, ...rest } = previous;
    // The hash ties the stamp to the file: if npm rebuilt or replaced the addon, it no longer matches.
    return JSON.stringify(rest) === JSON.stringify(stamp) && addonSha256 === sha256(fs.readFileSync(addon));
  } catch {
    return false;
  }
}

/** node-gyp as npm ships it: npm passes its path to scripts; otherwise look where npm keeps it. */
function findNodeGyp() {
  const prefix = path.dirname(path.dirname(process.execPath));
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((file) => file && fs.existsSync(file));
  if (!found) throw new Skip('node-gyp not found (run this through npm)');
  return found;
}

/** Node's own headers, so node-gyp never downloads them. Same test as .ci/run. */
function findNodeHeaders() {
  const candidates = [path.dirname(path.dirname(process.execPath)), process.env.npm_config_nodedir];
  const found = candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'include', 'node', 'node.h')));
  if (!found) throw new Skip("Node's headers are not installed next to node (include/node/node.h) and npm_config_nodedir is unset");
  return found;
}

/**
 * Child mode: load the addon and search small inner-product indexes. The dimensions take each of
 * hnswlib's inner-product kernels (space_ip.h): 384 is a multiple of 16, 100 of 4 only, and 101
 * of neither (16 at a time, then the remainder apart).
 * Every stored vector must find itself first, at distance 1 - dot, as computed here in JavaScript.
 */
function verify(addonPath) {
  const { HierarchicalNSW } = createRequire(import.meta.url)(addonPath);
  // Park-Miller generator: the same vectors every run, and exact in doubles.
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  for (const dimension of [384, 100, 101]) {
    const count = 200;
    const vectors = Array.from({ length: count }, () => {
      const vector = Array.from({ length: dimension }, random);
      const norm = Math.hypot(...vector);
      return vector.map((x) => x / norm);
    });
    const index = new HierarchicalNSW('ip', dimension);
    index.initIndex(count, 16, 200, 1);
    vectors.forEach((vector, label) => index.addPoint(vector, label));
    index.setEf(50);
    vectors.forEach((query, label) => {
      const { neighbors, distances } = index.searchKnn(query, 5);
      if (neighbors[0] !== label) throw new Error(`d ${dimension}: vector ${label} found ${neighbors[0]} first`);
      neighbors.forEach((other, i) => {
        const expected = 1 - query.reduce((sum, x, j) => sum + x * vectors[other][j], 0);
        if (Math.abs(distances[i] - expected) > 1e-4) throw new Error(`d ${dimension}: distance ${distances[i]}, expected ${expected}`);
      });
    });
  }
}

function describe(simd) {
  return simd.includes('AVX512F') ? 'AVX-512' : simd.includes('AVX2') ? 'AVX2' : simd.includes('AVX') ? 'AVX' : 'no AVX';
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

function firstLine(value) {
  return String(value instanceof Error ? value.message : value).trim().split('\n')[0];
}
