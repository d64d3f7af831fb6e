import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadEmbedder, type Embedder } from '../../src/embed/embedder.js';

interface ReferenceItem {
  kind: 'passage' | 'query';
  text: string;
  vector: number[];
}
const reference = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/reference-embeddings.json'), 'utf8')) as Record<
  string,
  { pooling: string; queryPrefix: string; passagePrefix?: string; items: ReferenceItem[] }
>;

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
};
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>): number => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

// Reference vectors come from the fp32 weights run by onnxruntime in Python (scripts/reference/).
describe.each(Object.keys(reference))('embeddings of %s match the fp32 reference implementation', (modelId) => {
  const fixture = reference[modelId]!;
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await loadEmbedder({ modelId, modelDir: path.join(PROJECT_ROOT, 'models'), allowRemoteModels: false });
  });
  afterAll(async () => embedder.dispose());

  it('uses the pooling and query prefix the reference used', () => {
    expect(embedder.profile.pooling).toBe(fixture.pooling);
    expect(embedder.profile.queryPrefix).toBe(fixture.queryPrefix);
    expect(embedder.profile.passagePrefix).toBe(fixture.passagePrefix ?? '');
    expect(embedder.dimension).toBe(fixture.items[0]!.vector.length);
  });

  it('reaches cosine ≥ 0.98 with every reference vector, each embedded on its own, and returns unit vectors', async () => {
    for (const item of fixture.items) {
      const [vector] = item.kind === 'query' ? await embedder.embedQueries([item.text]) : await embedder.embedPassages([item.text]);
      expect(Math.sqrt(dot(vector!, vector!))).toBeCloseTo(1, 4);
      expect(cosine(vector!, item.vector), item.text).toBeGreaterThanOrEqual(0.98);
    }
  });

  it("gives a text the same vector alone and inside a batch of other texts (the int8 graph's activation scale must not mix texts)", async () => {
    const passages = fixture.items.filter((i) => i.kind === 'passage').map((i) => i.text);
    const alone = await Promise.all(passages.map(async (text) => (await embedder.embedPassages([text]))[0]!));
    // More texts than one batch, of very different lengths, in two orders.
    const filler = Array.from({ length: 20 }, (_, i) => `${'Filler sentence number '.repeat(1 + (i % 7))}${String(i)}.`);
    for (const batch of [[...filler, ...passages], [...passages].reverse().concat(filler)]) {
      const vectors = await embedder.embedPassages(batch);
      passages.forEach((text, i) => expect(cosine(vectors[batch.indexOf(text)]!, alone[i]!), text).toBeGreaterThanOrEqual(0.9999));
    }
  });

  it('reads a passage and its sentences from one run (mean pooling, WITNESS_SENTENCE_VECTORS=in-context): the passage vector is the usual one, the sentences get their own unit vectors', async () => {
    if (!embedder.embedPassagesInContext) {
      expect(fixture.pooling).toBe('cls');
      return;
    }
    const sentences = ['The photographer Ali Arkadi filmed the unit in 2016.', 'He later published the photos of torture.', 'Around 1 million civilians were trapped in Mosul.'];
    const text = sentences.join(' ');
    const [inContext] = await embedder.embedPassagesInContext([{ text, sentences }]);
    const [usual] = await embedder.embedPassages([text]);
    expect(cosine(inContext!.passage, usual!)).toBeGreaterThanOrEqual(0.9999);
    expect(inContext!.sentences).toHaveLength(3);
    const alone = await embedder.embedPassages(sentences);
    inContext!.sentences.forEach((vector, i) => {
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 4);
      expect(cosine(vector, inContext!.passage)).toBeLessThan(0.9999);
      // Read in context, a sentence is still about what it says (measured 0.33–0.89 against the same sentence run alone).
      expect(cosine(vector, alone[i]!), sentences[i]).toBeGreaterThan(0.3);
    });
  });

  it('is closer to the reference with its query prefix than without, when the model has one', async () => {
    if (fixture.queryPrefix === '') return;
    for (const item of fixture.items.filter((i) => i.kind === 'query')) {
      const [withPrefix] = await embedder.embedQueries([item.text]);
      const [withoutPrefix] = await embedder.embedPassages([item.text]);
      expect(cosine(withPrefix!, item.vector)).toBeGreaterThan(cosine(withoutPrefix!, item.vector) + 0.005);
    }
  });
});
