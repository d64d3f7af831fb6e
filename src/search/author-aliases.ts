/**
 * Names people use for well-known public figures who are not derivable from the name as
 * written: nicknames ("Ike", "Teddy", "Dubya"), familiar first names ("Bill Clinton") and common
 * shorthand ("Bush 43", "H. W."). Curated by hand from the "List of nicknames of United States
 * presidents" article of the English Wikipedia (the nicknames most used in plain speech; epithets
 * that are mostly historians' usage were left out). A library can add its own for any author
 * with `aliases` in front matter or a `<file>.meta.json` sidecar (docs/documents.md).
 *
 * Each entry lists the ways the figure's name is written in metadata (`names`, compared as
 * lower-case letters and digits only, so "William J. Clinton" and "William J Clinton" are one)
 * and the aliases. An alias of one word names its bearer wherever it appears in a question; an
 * alias of several words names them only as that phrase.
 */
interface AliasEntry {
  names: string[];
  aliases: string[];
}

const PUBLIC_FIGURES: AliasEntry[] = [
  { names: ['George Washington'], aliases: ['father of his country'] },
  { names: ['Thomas Jefferson'], aliases: ['tj'] },
  { names: ['James Madison'], aliases: ['father of the constitution'] },
  { names: ['Andrew Jackson'], aliases: ['old hickory'] },
  { names: ['Martin Van Buren'], aliases: ['little magician', 'old kinderhook'] },
  { names: ['John Tyler'], aliases: ['his accidency'] },
  { names: ['James Polk', 'James K Polk', 'James K. Polk'], aliases: ['young hickory'] },
  { names: ['Zachary Taylor'], aliases: ['old rough and ready'] },
  { names: ['James Buchanan'], aliases: ['old buck'] },
  { names: ['Abraham Lincoln'], aliases: ['abe', 'honest abe', 'great emancipator', 'rail splitter'] },
  { names: ['Ulysses S Grant', 'Ulysses S. Grant'], aliases: ['unconditional surrender grant'] },
  { names: ['Chester A Arthur', 'Chester A. Arthur'], aliases: ['chet arthur', 'elegant arthur'] },
  { names: ['Grover Cleveland'], aliases: ['uncle jumbo'] },
  { names: ['Benjamin Harrison'], aliases: ['little ben'] },
  { names: ['Theodore Roosevelt'], aliases: ['teddy', 'teddy roosevelt', 'tr', 'bull moose', 'rough rider'] },
  { names: ['William H Taft', 'William H. Taft', 'William Howard Taft'], aliases: ['big bill taft'] },
  { names: ['Calvin Coolidge'], aliases: ['cal', 'silent cal'] },
  { names: ['Herbert Hoover'], aliases: ['great engineer'] },
  { names: ['Franklin D Roosevelt', 'Franklin D. Roosevelt', 'Franklin Delano Roosevelt'], aliases: ['fdr'] },
  { names: ['Harry S Truman', 'Harry S. Truman'], aliases: ['give em hell harry', 'hst'] },
  { names: ['Dwight D Eisenhower', 'Dwight D. Eisenhower'], aliases: ['ike'] },
  { names: ['John F Kennedy', 'John F. Kennedy'], aliases: ['jfk', 'jack kennedy'] },
  { names: ['Lyndon B Johnson', 'Lyndon B. Johnson'], aliases: ['lbj'] },
  { names: ['Richard Nixon', 'Richard M Nixon', 'Richard M. Nixon'], aliases: ['tricky dick', 'dick nixon'] },
  { names: ['Gerald R Ford', 'Gerald R. Ford'], aliases: ['jerry ford'] },
  { names: ['Jimmy Carter', 'James E Carter', 'James Earl Carter'], aliases: ['jimmy'] },
  { names: ['Ronald Reagan'], aliases: ['ronnie', 'gipper', 'great communicator', 'dutch reagan'] },
  { names: ['George Bush', 'George H W Bush', 'George H. W. Bush', 'George HW Bush'], aliases: ['h w bush', 'hw bush', 'bush 41', 'bush senior', 'bush sr', 'elder bush', 'poppy bush'] },
  { names: ['George W Bush', 'George W. Bush'], aliases: ['dubya', 'w bush', 'bush 43', 'bush jr', 'younger bush', 'george w'] },
  { names: ['William J Clinton', 'William J. Clinton', 'Bill Clinton', 'William Jefferson Clinton'], aliases: ['bill clinton', 'slick willie', 'comeback kid'] },
  { names: ['Barack Obama'], aliases: ['barry obama'] },
  { names: ['Donald J Trump', 'Donald J. Trump', 'Donald Trump'], aliases: ['the donald', 'djt'] },
  { names: ['Joseph R Biden', 'Joseph R. Biden', 'Joe Biden'], aliases: ['joe', 'joe biden', 'uncle joe'] },
];

/** A name as compared: lower-case letters and digits only. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const BY_NAME = new Map<string, string[]>();
for (const entry of PUBLIC_FIGURES) for (const name of entry.names) BY_NAME.set(nameKey(name), entry.aliases);

/** The curated aliases of an author, or none. */
export function knownAliases(author: string | null): string[] {
  return author ? (BY_NAME.get(nameKey(author)) ?? []) : [];
}
