#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatAnswer, answerJson } from './cli/format-answer.js';
import { formatEvalTable, formatMisses } from './cli/format-eval.js';
import { staleBuildWarning } from './cli/stale-build.js';
import { ConfigError, loadCoreConfig, type CoreConfig } from './config.js';
import { embedderOptions, loadEmbedder, ModelLoadError } from './embed/embedder.js';
import { readEvalSet } from './eval/eval-set.js';
import { formatList } from './extract/format-list.js';
import { runEval } from './eval/run-eval.js';
import type { IngestReport } from './ingest/update-index.js';
import { QuestionError } from './search/question.js';
import type { RetrievalMode } from './search/retrieve.js';
import type { Witness } from './witness.js';

const EXIT_USAGE = 2;

class UsageError extends Error {}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 50) throw new InvalidArgumentError('expected a whole number from 1 to 50');
  return parsed;
}

interface CommonFlags {
  corpus?: string;
  index?: string;
  model?: string;
  logLevel?: string;
}

function configFrom(flags: CommonFlags): CoreConfig {
  // The CLI prints its own summary of skipped files and rebuilds; the JSON log stays quiet unless asked.
  const logLevel = flags.logLevel ?? process.env.WITNESS_LOG_LEVEL ?? 'error';
  return loadCoreConfig({ corpusDir: flags.corpus, indexDir: flags.index, modelId: flags.model, logLevel });
}

function describeIngest(report: IngestReport): string {
  const parts = [
    report.upToDate
      ? `Index up to date: ${String(report.documents)} documents, ${String(report.passages)} passages.`
      : `Indexed ${String(report.documents)} documents, ${String(report.passages)} passages (${String(report.embedded)} embedded, ${String(report.reused)} reused, ${String(report.removed)} documents removed) in ${report.seconds.toFixed(1)} s.`,
  ];
  if (report.previousIndexProblem && !report.previousIndexProblem.startsWith('no index')) parts.push(`Rebuilt because ${report.previousIndexProblem}.`);
  for (const skip of report.skipped) parts.push(`Skipped ${skip.sourceId}: ${skip.reason}.`);
  for (const warning of report.warnings) parts.push(`Warning for ${warning.sourceId}: ${warning.message}.`);
  return parts.join('\n');
}

async function open(config: CoreConfig, rebuild = false): Promise<Witness> {
  // The model starts loading (in its worker thread) before the rest of Witness is even imported.
  const model = loadEmbedder(embedderOptions(config));
  model.catch(() => undefined);
  const [{ openWitness }, { createLogger }, { terminalProgress }] = await Promise.all([import('./witness.js'), import('./log.js'), import('./cli/progress.js')]);
  const logger = createLogger(config.logLevel, 'witness-cli');
  const progress = terminalProgress('Embedding');
  return openWitness(config, logger, { rebuild, model, ...(progress ? { progress } : {}) });
}

function addCommonOptions(command: Command): Command {
  return command
    .option('--corpus <dir>', `folder of documents: ${formatList()} (env WITNESS_CORPUS_DIR; default: the bundled corpus/)`)
    .option('--index <dir>', 'folder for the generated index (env WITNESS_INDEX_DIR; default: index/)')
    .option('--model <id>', 'embedding model id (env WITNESS_MODEL; default: the vendored Xenova/e5-small-v2)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|silent (env WITNESS_LOG_LEVEL; default for the CLI: error)');
}

async function readStdinLines(onLine: (line: string) => Promise<void>): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) await onLine(line);
}

export function buildProgram(): Command {
  const program = new Command('witness')
    .description('Answers questions from a library of documents with exact, cited quotes.')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  addCommonOptions(program.command('ingest').description('build or update the index from the corpus folder'))
    .option('--rebuild', 'ignore the existing index and embed everything again')
    .action(async (flags: CommonFlags & { rebuild?: boolean }) => {
      const witness = await open(configFrom(flags), flags.rebuild ?? false);
      console.log(describeIngest(witness.report));
    });

  addCommonOptions(program.command('ask').description('answer a question (or one question per line on stdin)'))
    .argument('[question...]', 'the question; omit to read questions from stdin, one per line')
    .option('--k <n>', 'number of results', positiveInt, 3)
    .option('--json', 'one JSON object per question on stdout')
    .addOption(new Option('--mode <mode>', 'retrieval mode').choices(['hybrid', 'dense', 'lexical']).default('hybrid'))
    .action(async (words: string[], flags: CommonFlags & { k: number; json?: boolean; mode: RetrievalMode }) => {
      const witness = await open(configFrom(flags));
      if (!witness.report.upToDate) process.stderr.write(`${describeIngest(witness.report)}\n`);
      const answerOne = async (question: string): Promise<void> => {
        const answer = await witness.answerer.ask(question, { k: flags.k, mode: flags.mode });
        process.stdout.write(`${flags.json ? answerJson(answer) : formatAnswer(answer)}\n${flags.json ? '' : '\n'}`);
      };
      if (words.length > 0) {
        await answerOne(words.join(' '));
        return;
      }
      let failures = 0;
      await readStdinLines(async (line) => {
        if (line.length === 0) return;
        try {
          await answerOne(line);
        } catch (error) {
          if (!(error instanceof QuestionError)) throw error;
          failures++;
          if (flags.json) process.stdout.write(`${JSON.stringify({ question: line, answered: false, results: [], error: error.message })}\n`);
          else process.stderr.write(`error: ${error.message}\n`);
        }
      });
      if (failures > 0) process.exitCode = EXIT_USAGE;
    });

  addCommonOptions(program.command('eval').description('score retrieval on a JSONL question set (hit@k, MRR, verbatim, abstention)'))
    .argument('<file>', 'questions in the format of eval/README.md')
    .option('--k <n>', 'results per question', positiveInt, 10)
    .option('--json', 'print the metrics as one JSON object')
    .option('--misses', 'list the questions not answered at rank 1')
    .addOption(new Option('--mode <mode>', 'only this retrieval mode').choices(['hybrid', 'dense', 'lexical']))
    .action(async (file: string, flags: CommonFlags & { k: number; json?: boolean; misses?: boolean; mode?: RetrievalMode }) => {
      const questions = await readEvalSet(file).catch((error: Error) => {
        throw new UsageError(error.message);
      });
      const config = configFrom(flags);
      const witness = await open(config);
      const modes: RetrievalMode[] = flags.mode ? [flags.mode] : ['lexical', 'dense', 'hybrid'];
      const runs = [];
      for (const mode of modes) runs.push(await runEval(witness.answerer, config.corpusDir, questions, mode, flags.k));
      if (flags.json) {
        console.log(JSON.stringify({ model: witness.embedder.modelId, minSimilarity: witness.answerer.settings.minSimilarity, runs }));
        return;
      }
      console.log(`Model ${witness.embedder.modelId}, ${String(questions.length)} questions, abstention bar ${witness.answerer.settings.minSimilarity.toFixed(3)}\n`);
      console.log(formatEvalTable(runs));
      if (flags.misses) for (const run of runs) console.log(`\n${formatMisses(run)}`);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const stale = staleBuildWarning(import.meta.url);
  if (stale) process.stderr.write(`warning: ${stale}\n`);
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof QuestionError || error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ModelLoadError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
