// Child process used by the benchmark: opens Witness on an index already on disk, answers the
// first question (the parent times this line), then serves the rest and reports peak memory.
import { readFileSync } from 'node:fs';
import { loadCoreConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openWitness } from '../../src/witness.js';
import { peakRssMB, percentile } from './measure.js';

const [corpusDir, indexDir, questionsFile] = process.argv.slice(2) as [string, string, string];
const questions = JSON.parse(readFileSync(questionsFile, 'utf8')) as string[];
const witness = await openWitness(loadCoreConfig({ corpusDir, indexDir, logLevel: 'error' }), createLogger('error'));
const first = await witness.answerer.ask(questions[0] as string);
process.stdout.write(`first ${String(first.results.length)}\n`);
// Time since this process started as the process itself sees it, CPU time of all its threads so
// far (a busy machine stretches the wall time, much less the CPU time), and the peak memory of start-up alone.
const cpu = process.cpuUsage();
const startup = { uptimeMs: process.uptime() * 1000, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: peakRssMB() };
// The rest are served one at a time; after the first ten, each is timed (warm latency in this process).
const askMs: number[] = [];
for (const [i, question] of questions.slice(1).entries()) {
  const start = performance.now();
  await witness.answerer.ask(question);
  if (i >= 9) askMs.push(performance.now() - start);
}
askMs.sort((a, b) => a - b);
const askP50Ms = askMs.length > 0 ? percentile(askMs, 50) : null;
const askP95Ms = askMs.length > 0 ? percentile(askMs, 95) : null;
process.stdout.write(`${JSON.stringify({ upToDate: witness.report.upToDate, served: questions.length, maxRssMB: peakRssMB(), startup, askP50Ms, askP95Ms })}\n`);
