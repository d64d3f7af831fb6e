import { createServer, type Server } from 'node:http';
import type { BotMetrics } from './metrics.js';

/**
 * The operator's port, off unless WITNESS_OPS_PORT is set, on loopback only: `/healthz` answers
 * 200 once the bot is logged in and its library is loaded (503 before, and while stopping), and
 * `/metrics` gives the figures in Prometheus's text format.
 */
export async function startOpsServer(port: number, metrics: BotMetrics, ready: () => boolean): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/healthz') {
      const ok = ready();
      response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ready' : 'starting' }));
      return;
    }
    if (path === '/metrics') {
      metrics.text().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
