import { describe, expect, it } from 'vitest';
import { answerSignals, SIGNAL } from '../../src/library/answer-signals.js';
import { sentenceSpans } from '../../src/library/spans.js';
import { DocumentNames } from '../../src/search/document-metadata.js';
import { questionCore } from '../../src/search/question-core.js';
import { questionIntent } from '../../src/search/question-intent.js';

const sentencesOf = (text: string): string[] => sentenceSpans(text, { start: 0, end: text.length }).map((s) => text.slice(s.start, s.end));

describe('sentence boundaries', () => {
  it('never ends a sentence on a title, an initial or a dotted abbreviation', () => {
    expect(sentencesOf('It was to determine which is the river St. Croix intended by the treaty. The commissioners met.')).toEqual([
      'It was to determine which is the river St. Croix intended by the treaty.',
      'The commissioners met.',
    ]);
    expect(sentencesOf('Mr. Smith and Gen. Petraeus met John F. Kennedy in Washington, D.C. on Friday. It rained.')).toEqual([
      'Mr. Smith and Gen. Petraeus met John F. Kennedy in Washington, D.C. on Friday.',
      'It rained.',
    ]);
    expect(sentencesOf('The U.S. Army arrived at 5 p.m. Monday. Nobody came.')).toEqual(['The U.S. Army arrived at 5 p.m. Monday.', 'Nobody came.']);
  });

  it('still ends sentences on ordinary words, lower-case "no." included', () => {
    expect(sentencesOf('He said no. Then he left. We stayed.')).toEqual(['He said no.', 'Then he left.', 'We stayed.']);
  });
});

describe('answer signals (wink-nlp)', () => {
  it('marks numbers, dates, names and quoted words', () => {
    expect(answerSignals('Around 1 million civilians are trapped in the city.') & SIGNAL.number).toBeTruthy();
    expect(answerSignals('The battle began in November 2016.') & SIGNAL.date).toBeTruthy();
    expect(answerSignals('The photographer Ali Arkadi filmed them.') & SIGNAL.name).toBeTruthy();
    expect(answerSignals('“They beat me,” he said.') & SIGNAL.quote).toBeTruthy();
  });

  it('does not mark a sentence with none of them', () => {
    expect(answerSignals('the process often leads to captives going permanently missing.')).toBe(0);
  });
});

describe('question intent', () => {
  it('reads the kind of answer asked for', () => {
    expect(questionIntent('how many kids got out?').wants).toBe(SIGNAL.number);
    expect(questionIntent('when did mosul fall').wants & SIGNAL.date).toBeTruthy();
    expect(questionIntent('what year did the battle start').wants & SIGNAL.date).toBeTruthy();
    expect(questionIntent('who took the photos?').wants).toBe(SIGNAL.name);
    expect(questionIntent('where were they held').wants).toBe(SIGNAL.name);
    expect(questionIntent('why is screening dangerous').wants).toBe(0);
  });

  it('notices a question about what someone said', () => {
    expect(questionIntent('what did the un say about it').asksSpeech).toBe(true);
    expect(questionIntent('according to amnesty, what happened').asksSpeech).toBe(true);
    expect(questionIntent('why is screening dangerous').asksSpeech).toBe(false);
  });
});

describe('documents named by a question', () => {
  const names = new DocumentNames([
    { title: 'State of the Union, 1962', author: 'John F. Kennedy', publisher: 'United States Government', date: '1962-01-01', url: null },
    { title: 'State of the Union, 1963', author: 'John F. Kennedy', publisher: 'United States Government', date: '1963-01-01', url: null },
    { title: 'State of the Union, 1934', author: 'Franklin D. Roosevelt', publisher: 'United States Government', date: '1934-01-01', url: null },
    { title: 'State of the Union, 1995', author: 'William J. Clinton', publisher: 'United States Government', date: '1995-01-01', url: null },
  ]);

  it('prefers the document whose author and year the question names', () => {
    const match = names.match("what did kennedy say about cuba in his 1962 address");
    expect(match.get(0)).toBe(1);
    expect(match.get(1)).toBeLessThan(1);
    expect(match.has(2)).toBe(false);
  });

  it('knows a president by initials and a decade by its years', () => {
    expect([...names.match('fdr on banks').keys()]).toEqual([2]);
    expect([...names.match('the clinton speeches of the 1990s').keys()]).toEqual([3]);
  });

  it('ignores words every document shares and questions naming nothing', () => {
    expect(names.match('state of the union').size).toBe(0);
    expect(names.match('what about taxes').size).toBe(0);
  });
});

describe('the question without its chatter (questionCore)', () => {
  it('drops requests about the form of the answer and about sources', () => {
    expect(questionCore('the monroe doctrine bit saying europe cant colonize the americas anymore, exact wording pls')).toBe('the monroe doctrine bit saying europe cant colonize the americas anymore');
    expect(questionCore('which president announced that the age of big government was over? need the actual line not a paraphrase')).toBe('which president announced that the age of big government was over?');
    expect(questionCore('camp speicher massacre - how many cadets were killed there? need a source')).toBe('camp speicher massacre - how many cadets were killed there?');
  });

  it('drops who is asking and why, and chat fillers', () => {
    expect(questionCore('FDR compared welfare handouts to a drug?? someone in #politics says its made up lol')).toBe('FDR compared welfare handouts to a drug?');
    expect(questionCore('mod check: did an annual message ask for laws on women who marry foreigners?')).toBe('did an annual message ask for laws on women who marry foreigners?');
  });

  it('keeps the words that say what is asked, and the whole question when nothing else would be left', () => {
    expect(questionCore('what did the photographer say about the soldiers?')).toBe('what did the photographer say about the soldiers?');
    expect(questionCore('exact quote pls')).toBe('exact quote pls');
    expect(questionCore('source?')).toBe('source?');
    // "quote" as the subject of the question is not chatter.
    expect(questionCore('who is quoted about the executions in the villages')).toBe('who is quoted about the executions in the villages');
  });
});
