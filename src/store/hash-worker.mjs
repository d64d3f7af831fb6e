// sha256 of each file in workerData.files, streamed in 1 MiB chunks, off the main thread
// (src/store/index-store.ts checks an index's files with it while the main thread parses them).
// Plain JavaScript because a worker cannot run TypeScript under tsx or vitest.
// Posts one array: { digest } or { error: code } per file, in order.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

async function hashFile(file) {
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk);
    return { digest: hash.digest('hex') };
  } catch (error) {
    return { error: error?.code ?? String(error) };
  }
}

parentPort.postMessage(await Promise.all(workerData.files.map(hashFile)));
