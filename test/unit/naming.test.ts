import { describe, expect, it } from 'vitest';
import { answerEvidence, answerSignals, SIGNAL } from '../../src/library/answer-signals.js';
import { passageHeader, headingAt, textToEmbed } from '../../src/library/passage-header.js';
import { knownAliases } from '../../src/search/author-aliases.js';
import { DocumentNames } from '../../src/search/document-metadata.js';
import { namingWeight, questionTokens } from '../../src/search/naming-context.js';
import { unknownNames } from '../../src/search/stated-evidence.js';

const address = (year: number, author: string, extra: { aliases?: string[] } = {}) => ({
  title: `State of the Union, ${String(year)}`,
  author,
  publisher: 'United States Government',
  date: `${String(year)}-01-01`,
  url: null,
  ...extra,
});

describe('names people use for authors', () => {
  const names = new DocumentNames([
    address(1955, 'Dwight D Eisenhower'),
    address(1904, 'Theodore Roosevelt'),
    address(1995, 'William J Clinton'),
    address(2006, 'George W Bush'),
    address(1990, 'George Bush'),
    address(1832, 'Andrew Jackson'),
    address(1871, 'Ada Quillfeather', { aliases: ['the Iron Lady of Dredging', 'Quill'] }),
    address(1950, 'Harry S Truman'),
  ]);
  const first = (question: string): number | undefined => [...names.match(question)].sort((a, b) => b[1] - a[1])[0]?.[0];

  it('knows the curated nicknames of public figures', () => {
    expect(first('what did ike say about the highways')).toBe(0);
    expect(first('teddy on the panama canal')).toBe(1);
    expect(first('did bill clinton talk about welfare')).toBe(2);
    expect(first('what did dubya say about iraq')).toBe(3);
    expect(first('bush 43 on education')).toBe(3);
    expect(first('what did old hickory think of the bank')).toBe(5);
  });

  it('does not take a common word of a phrase alias alone as a name', () => {
    expect(names.match('the bill on the bank').has(2)).toBe(false);
  });

  it('reads aliases a library gives in front matter or a sidecar, words and phrases', () => {
    expect(first('what did quill say about the harbour')).toBe(6);
    expect(first('the iron lady of dredging on harbours')).toBe(6);
  });

  it('lists the curated aliases by the name as the metadata writes it, with or without dots', () => {
    expect(knownAliases('Dwight D. Eisenhower')).toContain('ike');
    expect(knownAliases('Dwight D Eisenhower')).toContain('ike');
    expect(knownAliases('Ada Quillfeather')).toEqual([]);
    expect(knownAliases(null)).toEqual([]);
  });

  it('never reports an alias as a name the library lacks', () => {
    expect(unknownNames('What did Ike say?', ['ike'], (word) => names.knows(word))).toEqual([]);
    expect(unknownNames('What did Petraeus say?', ['petraeus'], (word) => names.knows(word))).toEqual(['petraeus']);
  });
});

describe('years and names in context', () => {
  const names = new DocumentNames([address(1946, 'Harry S Truman'), address(1950, 'Harry S Truman'), address(1790, 'George Washington'), address(2010, 'Barack Obama')]);

  it('takes a year as naming an address only where the question uses it so', () => {
    expect([...names.match('truman in his 1950 message').entries()].find(([doc]) => doc === 1)?.[1]).toBe(1);
    expect(names.match("1950's address on korea").get(1)).toBe(1);
    // the debt by 1950: Truman's 1946 address is as likely as the 1950 one
    expect(names.match('what did truman expect the debt to be by 1950').get(0)).toBe(1);
    expect(names.match('what did truman expect the debt to be by 1950').get(1)).toBe(1);
    expect(names.match('the target for the year 2010').size).toBe(0);
    expect(names.match('what has happened since june 1950').get(1) ?? 0).toBeLessThanOrEqual(1);
  });

  it('does not take a place that shares an author’s name for the author', () => {
    expect(names.match('the summit held in washington').size).toBe(0);
    expect(names.match('the new monument at washington dc').size).toBe(0);
    expect(names.match('what did washington say about the militia').get(2)).toBe(1);
    expect(names.match("in washington's first address").get(2)).toBe(1);
  });

  it('weighs each word by how it is used', () => {
    const tokens = questionTokens('by 1950 in Truman’s 1946 address');
    expect(namingWeight(tokens, 1, 'year')).toBe(0);
    expect(namingWeight(tokens, 3, 'author')).toBe(1);
    expect(namingWeight(tokens, 4, 'year')).toBe(1);
  });
});

describe('numbers as people write them', () => {
  it('reads approximate amounts, amounts in words and "scores of" as numbers', () => {
    for (const text of ['About 170 soldiers were killed.', 'Scores of men were shot.', 'Five million people fled.', 'Two-thirds of the debt was paid.', 'Hundreds of families left.']) {
      expect(answerSignals(text) & SIGNAL.number, text).toBeTruthy();
      expect(answerEvidence(text).numbers.length, text).toBeGreaterThan(0);
    }
  });

  it('does not read "on behalf of" as a half', () => {
    expect(answerSignals('He spoke on behalf of the people.') & SIGNAL.number).toBe(0);
  });
});

describe('the context a passage is embedded with', () => {
  const meta = address(1962, 'John F Kennedy');

  it('names the title, author and year once, and the heading', () => {
    expect(passageHeader(meta, null)).toBe('State of the Union, 1962, John F Kennedy.');
    expect(passageHeader({ ...meta, author: null, publisher: 'TRT World', title: 'Torture in Mosul', date: '2017-05-01' }, 'Photo authenticity')).toBe(
      'Torture in Mosul, TRT World, 2017. Photo authenticity.',
    );
  });

  it('finds the heading a passage stands under', () => {
    const sections = [[0, 1, 'Intro'], [100, 2, 'Costs']] as const;
    expect(headingAt(sections, 50)).toBe('Intro');
    expect(headingAt(sections, 100)).toBe('Costs');
    expect(headingAt(undefined, 100)).toBeNull();
    expect(textToEmbed(meta, sections, 120, 'The moon.')).toBe('State of the Union, 1962, John F Kennedy. Costs.\nThe moon.');
  });
});
