// Child process used by the benchmark: opens Witness on an index already on disk, answers the
// first question (the parent times this line), then serves the rest and reports peak memory.
import { readFileSync } from 'node:fs';
import { loadCoreConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openWitness } from '../../src/witness.js';

/**
 * Peak RSS of this process. On Linux, from /proc (VmHWM): getrusage's maxRSS of a spawned child
 * starts at its parent's RSS at the time of the fork, so a big parent (the bench, with its own
 * model and index loaded) would hide a smaller child's peak.
 */
function maxRssMB(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/u.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
const [corpusDir, indexDir, questionsFile] = process.argv.slice(2) as [string, string, string];
const questions = JSON.parse(readFileSync(questionsFile, 'utf8')) as string[];
const witness = await openWitness(loadCoreConfig({ corpusDir, indexDir, logLevel: 'error' }), createLogger('error'));
const first = await witness.answerer.ask(questions[0] as string);
process.stdout.write(`first ${String(first.results.length)}\n`);
// Time since this process started as the process itself sees it, CPU time of all its threads so
// far (a busy machine stretches the wall time, much less the CPU time), and the peak memory of start-up alone.
const cpu = process.cpuUsage();
const startup = { uptimeMs: process.uptime() * 1000, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: maxRssMB() };
// The rest are served one at a time; after the first ten, each is timed (warm latency in this process).
const askMs: number[] = [];
for (const [i, question] of questions.slice(1).entries()) {
  const start = performance.now();
  await witness.answerer.ask(question);
  if (i >= 9) askMs.push(performance.now() - start);
}
askMs.sort((a, b) => a - b);
const askP50Ms = askMs[Math.floor((askMs.length - 1) / 2)] ?? null;
const askP95Ms = askMs[Math.ceil(0.95 * askMs.length) - 1] ?? null;
process.stdout.write(`${JSON.stringify({ upToDate: witness.report.upToDate, served: questions.length, maxRssMB: maxRssMB(), startup, askP50Ms, askP95Ms })}\n`);
