import { readFileSync, readdirSync } from 'node:fs';

/** Resident and peak-resident memory of a process, in MB, from /proc (Linux); null once it has exited. */
export function processMemoryMB(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'mu').exec(status)?.[1] ?? 0) / 1024;
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return null;
  }
}

/** The process and all its descendants (a `tsx` launcher runs the real program in a child). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The largest resident set (current and peak) of any process in the tree rooted at `root`. */
export function treeMemoryMB(root: number): { rss: number; peak: number } {
  let rss = 0;
  let peak = 0;
  for (const pid of processTree(root)) {
    const memory = processMemoryMB(pid);
    if (!memory) continue;
    rss = Math.max(rss, memory.rss);
    peak = Math.max(peak, memory.peak);
  }
  return { rss, peak };
}
