import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cooldowns } from '../../src/discord/cooldowns.js';
import { safeFileName, saveUpload } from '../../src/discord/corpus-upload.js';
import { scrubSecrets, UserError } from '../../src/discord/errors.js';
import { LIBRARY_BUSY, WorkQueue } from '../../src/discord/work-queue.js';

describe('safeFileName', () => {
  it('accepts plain document names and refuses folders, traversal, hidden files and other types', () => {
    expect(safeFileName('notes.txt')).toBe('notes.txt');
    expect(safeFileName('My Notes.MD')).toBe('My-Notes.MD');
    expect(safeFileName('Report 2016.pdf')).toBe('Report-2016.pdf');
    expect(safeFileName('statement.docx')).toBe('statement.docx');
    for (const bad of ['../x.txt', 'a/b.txt', 'a\\b.txt', '.hidden.txt', 'x.odt', 'x.exe', 'x.txt.exe', 'ünïcode.txt', '', 'a\0.txt']) {
      expect(() => safeFileName(bad), bad).toThrow(UserError);
    }
  });
});

describe('saveUpload', () => {
  it('writes a new UTF-8 file under uploads/ and never overwrites one', async () => {
    const corpus = mkdtempSync(path.join(tmpdir(), 'witness-upload-'));
    const saved = await saveUpload(corpus, 'a.txt', Buffer.from('Hello there.'), 100);
    expect(saved.sourceId).toBe('uploads/a.txt');
    expect(readFileSync(saved.file, 'utf8')).toBe('Hello there.');
    await expect(saveUpload(corpus, 'a.txt', Buffer.from('Other.'), 100)).rejects.toThrow('already has a document named a.txt');
    await expect(saveUpload(corpus, 'b.txt', Buffer.from([0x41, 0xff, 0xfe, 0x41]), 100)).rejects.toThrow('not valid UTF-8');
    await expect(saveUpload(corpus, 'c.txt', Buffer.from('x'.repeat(101)), 100)).rejects.toThrow('limit');
    expect(readFileSync(saved.file, 'utf8')).toBe('Hello there.');
  });
});

describe('Cooldowns', () => {
  it('makes a user wait, per user, then frees them', () => {
    let now = 0;
    const cooldowns = new Cooldowns(10, () => now);
    expect(cooldowns.take('a')).toBe(0);
    expect(cooldowns.take('b')).toBe(0);
    now = 2500;
    expect(cooldowns.take('a')).toBe(8);
    now = 10_000;
    expect(cooldowns.take('a')).toBe(0);
  });
});

describe('WorkQueue', () => {
  it('runs one task at a time and turns away a burst beyond its limit', async () => {
    const queue = new WorkQueue(2);
    let release = (): void => undefined;
    const order: number[] = [];
    const first = queue.run(() => new Promise<void>((resolve) => (release = resolve)).then(() => order.push(1)));
    const second = queue.run(async () => order.push(2));
    const third = queue.run(async () => order.push(3));
    expect(queue.pending).toBe(2);
    expect(() => queue.assertRoom()).toThrow(UserError);
    await expect(queue.run(async () => order.push(4))).rejects.toThrow('busy');
    release();
    await Promise.all([first, second, third]);
    expect(order).toEqual([1, 2, 3]);
    expect(queue.active).toBe(0);
  });

  it('tells a library change turned away that libraries are busy, not questions', async () => {
    const jobs = new WorkQueue(0, 1, LIBRARY_BUSY);
    let release = (): void => undefined;
    const running = jobs.run(() => new Promise<void>((resolve) => (release = resolve)));
    expect(() => jobs.assertRoom()).toThrow('busy with other changes to libraries');
    await expect(jobs.run(async () => undefined)).rejects.toThrow(LIBRARY_BUSY);
    release();
    await running;
  });
});

describe('scrubSecrets', () => {
  it('removes tokens and interaction/webhook tokens from error text', () => {
    const token = `${Buffer.from('123456789012345678').toString('base64url')}.GhJkLm.${'Zq9'.repeat(9)}x`;
    expect(scrubSecrets(`bad ${token} here`)).toBe('bad [redacted] here');
    expect(scrubSecrets('PATCH /webhooks/123/aW50ZXJhY3Rpb24secret/messages/@original')).toBe('PATCH /webhooks/123/[redacted]/messages/@original');
    expect(scrubSecrets('contains mysecret', ['mysecret'])).toBe('contains [redacted]');
  });
});
