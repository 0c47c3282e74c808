/**
 * Lexical matching shared by the extractive answers and the router: Unicode-aware terms,
 * a bilingual (English/Korean) synonym table, and BM25 over a small set of documents.
 *
 * Latin, Cyrillic, Greek… words become lowercased, lightly stemmed terms. Runs of Hangul, Han
 * or kana have no spaces to rely on (and Korean glues particles to words: 비밀번호는,
 * 비밀번호를), so they become overlapping character bigrams: 비밀번호는 → 비밀 밀번 번호 호는.
 * A question and a passage that share a word then share most of its bigrams.
 */

const wordRun = /[\p{L}\p{N}]+/gu;
const cjkChar = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const cjkRun =
  /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+|[^\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

const englishStopwords = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our please show should so than that the their them then there these they this to us was we ' +
    'were what when where which who whom why will with would you your give tell let get any some about'
  ).split(' '),
);

/** Requests and endings that say nothing about the subject (알려줘, 보여주세요, 입니까…). */
const koreanStopBigrams = new Set(
  '알려 려줘 려주 보여 여줘 여주 해줘 해주 주세 세요 줘요 니까 습니 니다 입니 는지 인지 나요 을까 할까 어떻 떻게 무엇 엇인 뭐야'.split(
    ' ',
  ),
);

/** Light English stemming: enough to match logs/log, errors/error, searching/search. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(?:ches|shes|xes|zes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is'))
    return word.slice(0, -1);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  return word;
}

/** Splits identifiers for matching: `searchLogs`, `search_logs`, `search-logs` → search logs. */
export function splitIdentifier(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\-./]+/g, ' ');
}

function cjkTerms(run: string, out: string[]): void {
  const chars = [...run];
  if (chars.length === 1) {
    out.push(run);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) {
    const bigram = `${chars[i]}${chars[i + 1]}`;
    if (!koreanStopBigrams.has(bigram)) out.push(bigram);
  }
}

/** The matching terms of `text`, in order, with repeats (term frequency matters to BM25). */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const [word] of text.normalize('NFKC').matchAll(wordRun)) {
    for (const [part] of word.matchAll(cjkRun)) {
      if (cjkChar.test(part)) {
        cjkTerms(part, out);
        continue;
      }
      const lower = part.toLowerCase();
      if (englishStopwords.has(lower)) continue;
      out.push(stem(lower));
    }
  }
  return out;
}

/** True when the text is mostly Hangul (decides the language of the offline model's replies). */
export function isKorean(text: string): boolean {
  const hangul = text.match(/\p{Script=Hangul}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return hangul > 0 && hangul >= latin / 2;
}

/**
 * Equivalent words in English and Korean for the vocabulary of Keel's features (operations,
 * documents, commits). A question that uses one form also matches documents that use another.
 */
const synonymGroups: readonly (readonly string[])[] = [
  ['log', 'logs', '로그'],
  ['error', 'errors', 'failure', 'exception', '에러', '오류', '실패', '예외'],
  ['metric', 'metrics', '지표', '메트릭'],
  ['usage', 'utilization', '사용량', '사용률'],
  ['cpu', '씨피유'],
  ['memory', 'ram', '메모리'],
  ['disk', 'storage', '디스크', '스토리지'],
  ['average', 'mean', 'avg', '평균'],
  ['sum', 'total', '합계', '총합', '전체'],
  ['count', 'number', '개수', '건수'],
  ['maximum', 'max', 'peak', '최대'],
  ['minimum', 'min', '최소'],
  ['search', 'find', 'lookup', 'query', '검색', '찾아', '조회'],
  ['document', 'documents', 'doc', 'docs', 'manual', '문서', '매뉴얼'],
  ['server', 'host', 'node', '서버', '호스트', '노드'],
  ['service', 'services', '서비스'],
  ['dependency', 'dependencies', 'depend', '의존', '의존성'],
  ['connection', 'connect', 'link', '연결'],
  ['graph', 'topology', '그래프', '토폴로지'],
  ['latency', 'slow', 'response time', '지연', '느려', '느림', '응답 시간', '응답시간'],
  ['response', '응답'],
  ['time', 'clock', '시간', '시각'],
  ['deploy', 'deployment', 'release', '배포', '릴리스'],
  ['alert', 'alarm', 'notification', '알림', '경보'],
  ['incident', 'outage', 'failure', '장애'],
  ['trace', 'traces', '트레이스', '추적'],
  ['database', 'db', '데이터베이스', '디비'],
  ['network', 'traffic', '네트워크', '트래픽'],
  ['request', 'requests', '요청'],
  ['user', 'users', '사용자', '유저'],
  ['password', '비밀번호', '암호'],
  ['sign in', 'login', 'log in', 'signin', '로그인'],
  ['lock', 'lockout', '잠금', '잠김'],
  ['commit', '커밋'],
  ['message', '메시지'],
  ['status', 'state', 'health', '상태'],
  ['restart', 'reboot', '재시작', '재부팅'],
  ['weather', '날씨'],
  ['hotel', 'stay', 'accommodation', '숙소', '호텔'],
  ['flight', '항공', '비행기', '항공편'],
  ['restaurant', 'food', '맛집', '식당', '음식'],
  ['travel', 'trip', '여행'],
];

interface SynonymGroup {
  /** Forms matched as terms (English words, stemmed). */
  words: Set<string>;
  /** Forms matched as substrings (Korean, multi-word English). */
  phrases: string[];
  /** The terms of every form, added to a query that mentions one of them. */
  expansion: string[];
}

const groups: SynonymGroup[] = synonymGroups.map((forms) => {
  const words = new Set<string>();
  const phrases: string[] = [];
  for (const form of forms) {
    if (cjkChar.test(form) || form.includes(' ')) phrases.push(form.toLowerCase());
    else words.add(stem(form.toLowerCase()));
  }
  return { words, phrases, expansion: [...new Set(forms.flatMap((form) => terms(form)))] };
});

/** Query terms with weights: the text's own terms (1) and synonyms of them (0.6). */
export function queryTerms(text: string): Map<string, number> {
  const own = terms(text);
  const weights = new Map<string, number>();
  for (const term of own) weights.set(term, 1);
  const lower = text.normalize('NFKC').toLowerCase();
  const ownSet = new Set(own);
  for (const group of groups) {
    const hit =
      [...group.words].some((word) => ownSet.has(word)) ||
      group.phrases.some((phrase) => lower.includes(phrase));
    if (!hit) continue;
    for (const term of group.expansion) if (!weights.has(term)) weights.set(term, 0.6);
  }
  return weights;
}

export interface Bm25Match {
  score: number;
  /** Query terms found in the document. */
  matched: string[];
  /**
   * How much of the query the document answers, 0–1: the weighted idf of the matched terms over
   * the idf of the query's own terms (a synonym match counts for its weight, 0.6).
   */
  coverage: number;
  /** The plain share of the query's own distinct terms found in the document, 0–1. */
  share: number;
}

/**
 * BM25 (k1 = 1.2, b = 0.75) of each document against a weighted query. Documents are term
 * lists (see `terms`). Idf is computed over the given documents, so scores compare documents of
 * one call, not across calls.
 */
export function bm25(documents: readonly string[][], query: Map<string, number>): Bm25Match[] {
  const k1 = 1.2;
  const b = 0.75;
  const n = documents.length;
  const avgLength = documents.reduce((sum, doc) => sum + doc.length, 0) / Math.max(1, n) || 1;
  const df = new Map<string, number>();
  for (const doc of documents) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = (term: string) => {
    const d = df.get(term) ?? 0;
    return Math.log(1 + (n - d + 0.5) / (d + 0.5));
  };
  let ownWeight = 0;
  let ownCount = 0;
  for (const [term, weight] of query)
    if (weight >= 1) {
      ownWeight += idf(term);
      ownCount++;
    }
  return documents.map((doc) => {
    const tf = new Map<string, number>();
    for (const term of doc) tf.set(term, (tf.get(term) ?? 0) + 1);
    let score = 0;
    let covered = 0;
    let ownMatched = 0;
    const matched: string[] = [];
    for (const [term, weight] of query) {
      const f = tf.get(term);
      if (!f) continue;
      matched.push(term);
      const termIdf = idf(term);
      score += weight * termIdf * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.length) / avgLength)));
      covered += weight * termIdf;
      if (weight >= 1) ownMatched++;
    }
    return {
      score,
      matched,
      coverage: ownWeight > 0 ? Math.min(1, covered / ownWeight) : 0,
      share: ownCount > 0 ? ownMatched / ownCount : 0,
    };
  });
}
