// Option parsers shared by the benchmark scripts (commander calls them with the raw text).
import path from 'node:path';
import { InvalidArgumentError } from 'commander';

/** A positive whole number, e.g. `--runs 6`. */
export function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** `name=dir`, e.g. `--checkout before=/tmp/old`: the name and the folder, resolved. */
export function namedDir(value: string): { name: string; dir: string } {
  const at = value.indexOf('=');
  if (at < 1 || at === value.length - 1) throw new InvalidArgumentError('expected name=dir');
  return { name: value.slice(0, at), dir: path.resolve(value.slice(at + 1)) };
}
