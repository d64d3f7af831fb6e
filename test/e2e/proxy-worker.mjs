// The recording proxy's listening socket, in a thread of its own (see test/e2e/harness.ts).
//
// The Discord twin runs its database synchronously on the test's main thread, and Node accepts
// one new connection per turn of the event loop. With the listener on the main thread, a burst of
// requests from the bot waited seconds in the kernel's accept queue while the twin worked, and
// that wait was counted as the bot's. Here the socket is accepted and read at once, stamped with
// its arrival time, and handed to the main thread, which decides the answer.
//
// Plain JavaScript because a worker cannot run TypeScript under tsx or vitest.
//
// out: { port } once listening; { id, method, url, headers, body: Uint8Array, at } per request
// in:  { id, status, headers, body: Uint8Array } per answer; { close: true } to stop
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { parentPort } from 'node:worker_threads';

if (!parentPort) throw new Error('proxy-worker.mjs must run as a worker thread');
const port = parentPort;

let nextId = 0;
const waiting = new Map();

const server = http.createServer((req, res) => {
  // When the request's headers were read: the moment the bot's request reached "Discord".
  const at = Date.now();
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const id = nextId++;
    waiting.set(id, res);
    port.postMessage({ id, method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks), at });
  });
});
server.keepAliveTimeout = 30_000;

port.on('message', (message) => {
  if (message.close) {
    server.closeAllConnections();
    server.close(() => port.close());
    return;
  }
  const res = waiting.get(message.id);
  waiting.delete(message.id);
  if (!res) return;
  res.writeHead(message.status, message.headers);
  res.end(Buffer.from(message.body));
});

server.listen(0, '127.0.0.1', () => port.postMessage({ port: server.address().port }));
