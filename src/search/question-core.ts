/**
 * The words of a chat question that say what it is about, without what it says about the asking:
 * "exact words pls", "need a source for a thread", "someone in #history claims", "lol". Such
 * words are a large part of a short chat question; in the question's vector they pull toward
 * passages that are about quoting, sources and claims, and in BM25 they match common words. The
 * question's vector and its BM25 query are computed from what remains; what the question asks
 * for (a quote, a number) is still read from the whole question (question-intent.ts).
 */

// Each pattern removes one kind of request or chatter, wherever it stands in the question.
const CHATTER: RegExp[] = [
  // How the answer should come: "exact words?", "the actual line, not a paraphrase", "word for word".
  /\b(?:(?:i'?m )?looking for|need|want|give me|gimme|show me|paste|post|with)?\s*(?:the |an? )?(?:exact|actual|full|precise|real|original)\s+(?:words?|wording|quote|quotation|line|lines|sentence|sentences|text|passage|phrasing)\b(?:\s+(?:pls|please|plz|if possible))?/giu,
  /\b(?:and )?(?:not|no) (?:a |just a )?paraphrase\b/giu,
  /\bword for word\b|\bverbatim\b/giu,
  /\bquote it\b|\bquote (?:pls|please|plz)\b|\bquote\?+/giu,
  // Asking for a source: "need a source for a thread", "can someone paste", "source?".
  /\b(?:can|could|would) (?:someone|somebody|anyone|anybody|you) (?:please )?(?:paste|post|find|share|link|dig up|pull up|point me to|show me|give me)\b/giu,
  /\b(?:i )?(?:need|want|looking for|look for|searching for) (?:a |the |some )?(?:source|sources|citation|citations|cite|link|reference|receipts?)\b(?:\s+for (?:this|that|it|a thread|the thread|an argument|a debate|a post))?/giu,
  /\bsource\s*\?+|\bsources\s*\?+|\bcitation needed\b|\bciting\b/giu,
  // Who is asking and why: "someone in #politics claims", "there's a bet riding on this", "mod check:".
  /\b(?:someone|somebody|people|a guy|a user|my friend|a friend|folks|everyone|some guy)\s+(?:in|on)\s+#[\w-]+(?:\s+(?:says?|claims?|thinks?|think|swears?|insists?|keeps saying|is saying|are saying))?(?:\s+(?:that\s+)?(?:it'?s|its|it is|this is)\s+(?:made up|fake|true|real|a myth|fabricated)\b|\s+(?:that|it'?s|its)\b)?/giu,
  /\b(?:in|on) #[\w-]+\b/giu,
  /\bthere'?s a bet (?:riding )?on (?:this|it|that)\b|\bsettle (?:a|an|this|the) (?:debate|argument|bet|dispute)\b/giu,
  /\b(?:mod|fact) check\s*:?/giu,
  /\b(?:or )?(?:is|was) (?:that|this|it) (?:true|real|made up|a myth|fake)\b|\bthink(?:s)? it'?s made up\b/giu,
  /\bfor a thread\b/giu,
  // Chat fillers.
  /\b(?:lol|lmao|lmfao|rofl|pls|plz|please|thx|thanks|ty|tbh|imo|imho|iirc|afaik|fwiw|idk|btw|ngl|smh)\b/giu,
  /\bpretty sure\b|\bi (?:think|believe|remember|recall|heard)\b/giu,
];

/** The question without its chatter; the whole question when nothing would be left. */
export function questionCore(question: string): string {
  let core = question.replace(/[’‘]/gu, "'");
  for (const pattern of CHATTER) core = core.replace(pattern, ' ');
  core = core
    .replace(/\s+([,.?!;:])/gu, '$1')
    .replace(/([,.;:!?-])(?:\s*[,.;:!?-])+/gu, '$1')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s,.;:!?—–-]+|[\s,;:—–-]+$/gu, '')
    .trim();
  return /[\p{L}\p{N}]{3,}/u.test(core) && core.split(' ').length >= 2 ? core : question;
}
