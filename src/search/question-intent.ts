import { SIGNAL } from '../library/answer-signals.js';

/** What a question asks for, read from its wording. */
export interface QuestionIntent {
  /** The kind of answer asked for, as SIGNAL bits (any one of them answers); 0 when the wording does not say. */
  wants: number;
  /** The question asks what someone said ("what did X say", "according to X", "quote"). */
  asksSpeech: boolean;
  /**
   * The question states a premise and asks what followed ("after the battle, what did the
   * president recommend", "he trusted the unit, then what"): the answer tends to be the
   * sentence after the one that restates the premise.
   */
  asksWhatFollowed: boolean;
}

// Each pattern is tried on the lower-cased question; the first that matches decides.
const ASKS: [RegExp, number][] = [
  [/\bhow (?:many|much|big|large|long|far|old|often)\b|\bwhat (?:percent(?:age)?|number|amount|proportion|share|size|figure|total)\b|\b(?:number|amount|count) of\b/u, SIGNAL.number],
  [/\bwhen\b|\b(?:what|which) (?:year|date|day|month|time|decade|century)\b|\bwhat time\b|\bhow long ago\b|\bsince when\b/u, SIGNAL.date | SIGNAL.number],
  [/\bwho(?:m|se|'s)?\b|\bwhich (?:group|organi[sz]ation|company|agency|unit|country|nation|person|man|woman|official|president|general|leader|party|city|town|village|state|province|area)\b|\bwhat (?:group|organi[sz]ation|company|agency|unit|country|nation|city|town|village|state|province|is the name|was the name|name|party)\b/u, SIGNAL.name],
  [/\bwhere\b/u, SIGNAL.name],
];

const FOLLOWED =
  /\b(?:then what|what (?:happened|came|followed) (?:next|after|then|of it)|what (?:did|does|do|was|were) (?:he|she|they|it|the \w+|congress) (?:end up|decide|do|did|recommend|propose|ask|want) (?:to |about |after|afterward|then|next|in response)|as a result|in response|what was (?:the )?(?:result|outcome|consequence)|after that|afterwards?)|^(?:after|once|when) [^,?]{8,},/u;

const SPEECH = /\b(?:say|says|said|saying|quote|quoted|according to|tell|told|claim(?:s|ed)?|statement|words)\b/u;

export function questionIntent(question: string): QuestionIntent {
  const text = question.toLowerCase().replace(/[’‘]/gu, "'");
  let wants = 0;
  for (const [pattern, bits] of ASKS) {
    if (pattern.test(text)) {
      wants = bits;
      break;
    }
  }
  return { wants, asksSpeech: SPEECH.test(text), asksWhatFollowed: FOLLOWED.test(text) };
}
