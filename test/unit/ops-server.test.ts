import { afterEach, describe, expect, it } from 'vitest';
import { BotMetrics } from '../../src/discord/metrics.js';
import { startOpsServer } from '../../src/discord/ops-server.js';

describe('the operator’s port', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  const metrics = (): BotMetrics => new BotMetrics({ queue: () => ({ waiting: 2, running: 1 }), base: () => 7, servers: () => [{ documents: 3, bytes: 1000 }] });

  it('says "starting" with 503 until the bot is ready, then 200', async () => {
    let ready = false;
    const server = await startOpsServer(0, metrics(), () => ready);
    close = server.close;
    const health = (): Promise<Response> => fetch(`http://127.0.0.1:${String(server.port)}/healthz`);
    expect((await health()).status).toBe(503);
    ready = true;
    expect(await (await health()).json()).toEqual({ status: 'ready' });
    expect((await fetch(`http://127.0.0.1:${String(server.port)}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('reads the queue and the libraries when scraped, and never takes a label from outside', async () => {
    const bot = metrics();
    bot.handled('ask', 'ok', 0.2);
    bot.handled('../../<script>', 'failed', 0.1);
    bot.handled('ask', 'store_unavailable', 0.1);
    const text = await bot.text();
    expect(text).toMatch(/^witness_queue_depth 2$/mu);
    expect(text).toMatch(/^witness_queue_running 1$/mu);
    expect(text).toMatch(/^witness_base_library_documents 7$/mu);
    expect(text).toMatch(/^witness_open_libraries 2$/mu);
    expect(text).toMatch(/^witness_server_library_documents 3$/mu);
    expect(text).toMatch(/^witness_documents_per_server_count 1$/mu);
    expect(text).toMatch(/^witness_interactions_total\{command="other",outcome="failed"\} 1$/mu);
    expect(text).toMatch(/^witness_store_errors_total 1$/mu);
    expect(text).not.toContain('<script>');
  });
});
