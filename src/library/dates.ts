const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function iso(year: number, monthIndex: number, day: number): string | null {
  if (monthIndex < 0 || monthIndex > 11 || day < 1 || day > 31 || year < 1000 || year > 9999) return null;
  return `${String(year)}-${String(monthIndex + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase());
}

/** Reads a stated date ("16 Jun 2014 16:43", "June 16, 2014", "2014-06-16") as YYYY-MM-DD, or null. */
export function parseStatedDate(stated: string): string | null {
  const text = stated.trim();
  let match = /^(\d{4})-(\d{2})-(\d{2})/u.exec(text);
  if (match) return iso(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  match = /^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})/u.exec(text);
  if (match) return iso(Number(match[3]), monthIndex(match[2] ?? ''), Number(match[1]));
  match = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})/u.exec(text);
  if (match) return iso(Number(match[3]), monthIndex(match[1] ?? ''), Number(match[2]));
  return null;
}
