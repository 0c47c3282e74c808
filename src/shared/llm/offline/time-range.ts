/**
 * Relative time ranges in English and Korean questions: "last 24 hours", "past hour",
 * "in the last 30m", "지난 1시간", "최근 30분", "지난 하루", "3일 동안", "today"/"오늘",
 * "yesterday"/"어제". Calendar days are UTC days.
 */
export interface TimeRange {
  /** The words that named the range, as they appear in the text. */
  phrase: string;
  /** Length of the range in milliseconds. */
  ms: number;
  /** The range as a compact duration: `24h`, `30m`, `7d`. */
  compact: string;
  /** The end of the range when it is not "now" (yesterday ends at midnight). */
  end?: Date;
}

const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof unitMs;

const englishNumbers: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  fifteen: 15,
  thirty: 30,
};
const koreanNumbers: Record<string, number> = {
  한: 1,
  두: 2,
  세: 3,
  네: 4,
  다섯: 5,
  여섯: 6,
  일곱: 7,
  열: 10,
};

function unitOf(word: string): { unit: Unit; times: number } | null {
  const w = word.toLowerCase();
  if (/^(s|secs?|seconds?|초)$/.test(w)) return { unit: 's', times: 1 };
  if (/^(m|mins?|minutes?|분)$/.test(w)) return { unit: 'm', times: 1 };
  if (/^(h|hrs?|hours?|시간)$/.test(w)) return { unit: 'h', times: 1 };
  if (/^(d|days?|일)$/.test(w)) return { unit: 'd', times: 1 };
  if (/^(w|wks?|weeks?|주|주일)$/.test(w)) return { unit: 'w', times: 1 };
  if (/^(months?|개월|달)$/.test(w)) return { unit: 'd', times: 30 };
  return null;
}

function range(phrase: string, amount: number, unitWord: string): TimeRange | null {
  const unit = unitOf(unitWord);
  if (!unit || !Number.isFinite(amount) || amount <= 0) return null;
  const count = amount * unit.times;
  return { phrase, ms: count * unitMs[unit.unit], compact: `${count}${unit.unit}` };
}

const english =
  /\b(?:(?:in|over|during|within|for)\s+)?(?:the\s+)?(?:last|past|previous)\s+(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|thirty)?\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|[smhdw])\b/i;
const korean =
  /(?:지난|최근|과거)\s*(\d+(?:\.\d+)?|한|두|세|네|다섯|여섯|일곱|열)?\s*(초|분|시간|일(?!주)|주일|주|개월|달)(?:\s*(?:동안|간|사이|이내))?/;
const koreanDay = /(?:지난|최근)?\s*(하루|일주일)(?:\s*(?:동안|간|사이|이내))?/;
const koreanBare = /(\d+(?:\.\d+)?)\s*(초|분|시간|일|주일|개월)\s*(?:동안|간|사이|이내|전부터)/;

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** The first relative time range named in `text`, or null. */
export function timeRangeOf(text: string, now: Date): TimeRange | null {
  let m = english.exec(text);
  if (m?.[2]) {
    const amount = m[1] === undefined ? 1 : (englishNumbers[m[1].toLowerCase()] ?? Number(m[1]));
    const found = range(m[0], amount, m[2]);
    if (found) return found;
  }
  m = korean.exec(text);
  if (m?.[2]) {
    const amount = m[1] === undefined ? 1 : (koreanNumbers[m[1]] ?? Number(m[1]));
    const found = range(m[0], amount, m[2]);
    if (found) return found;
  }
  m = koreanDay.exec(text);
  if (m?.[1]) return range(m[0], m[1] === '하루' ? 1 : 7, '일');
  m = koreanBare.exec(text);
  if (m?.[1] && m[2]) {
    const found = range(m[0], Number(m[1]), m[2]);
    if (found) return found;
  }
  m = /\b(today|yesterday)\b|(오늘|어제)/i.exec(text);
  if (m) {
    const midnight = startOfUtcDay(now);
    if (/today|오늘/i.test(m[0]))
      return { phrase: m[0], ms: now.getTime() - midnight.getTime(), compact: 'today' };
    return { phrase: m[0], ms: unitMs.d, compact: 'yesterday', end: midnight };
  }
  return null;
}
