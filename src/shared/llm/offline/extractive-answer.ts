import { bm25, isKorean, queryTerms, terms } from './text-match.js';

/**
 * Extractive answers: the 1–3 sentences of the given passages that best match the question
 * (BM25 over sentences, Korean by character bigrams), quoted with their passage labels. Nothing
 * is written that the passages do not say; when no sentence matches enough of the question, the
 * answer says it does not know from the given context.
 *
 * Accepted passage formats (in the system prompt or any user message):
 * - numbered: lines starting `[1] …`, `[2] …` (a passage runs to the next marker or blank line);
 * - documents: `<document index="1">…</document>` or `<doc id="faq">…</doc>`;
 * - a section headed `Context:` (also Contexts, Documents, Sources, Passages, References, 문맥,
 *   컨텍스트, 참고 자료, 자료): numbered markers inside it, or else paragraphs (blank-line
 *   separated) numbered from 1;
 * - `providerOptions['keel-offline'].passages`: strings or `{ id, text }`.
 * The question is a `Question:` / `Q:` / `질문:` line, else the last user message without its
 * passages.
 */

export interface Passage {
  /** The label cited in the answer: `1` for `[1]`, the document id or index. */
  id: string;
  text: string;
}

export interface Citation {
  passage: string;
  sentence: string;
}

export interface ExtractiveAnswer {
  found: boolean;
  /** The answer text: quoted sentences with `[n]` citations, or "I don't know…". */
  answer: string;
  citations: Citation[];
  language: 'en' | 'ko';
  /** How much of the question the best sentence covers (0–1, idf-weighted). */
  coverage: number;
}

const numbered = /^\s*\[(\d{1,3})\]\s?(.*)$/;
const questionLabel = /^\s*(?:question|q|질문|문의)\s*[:：]\s*(.*)$/i;
const contextHeader =
  /^\s*(?:#+\s*)?(?:contexts?|documents?|sources?|passages?|references?|retrieved (?:passages|documents)|문맥|컨텍스트|참고\s*(?:자료|문서)?|자료|검색 결과)\s*[:：]\s*(.*)$/i;
const documentTag = /<(document|doc)\b([^>]*)>([\s\S]*?)<\/\1>/gi;

function clean(text: string): string {
  return text
    .replace(/<\/?(?:source|document_content|content|title)[^>]*>/gi, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** `[n]` passages of a text, and the text with them removed. */
function numberedPassages(text: string): { passages: Passage[]; rest: string } {
  const passages: Passage[] = [];
  const rest: string[] = [];
  let current: Passage | null = null;
  for (const line of text.split('\n')) {
    const marker = numbered.exec(line);
    if (marker) {
      current = { id: marker[1] ?? String(passages.length + 1), text: marker[2] ?? '' };
      passages.push(current);
      continue;
    }
    // A passage runs to the next marker, a blank line, or a Question:/Context: line.
    if (current && line.trim() !== '' && !questionLabel.test(line) && !contextHeader.test(line)) {
      current.text += `\n${line}`;
      continue;
    }
    current = null;
    rest.push(line);
  }
  return { passages: passages.map((p) => ({ id: p.id, text: clean(p.text) })), rest: rest.join('\n') };
}

/** Passages of one text, in any accepted format, and what is left of the text. */
export function readPassages(text: string): { passages: Passage[]; rest: string } {
  const passages: Passage[] = [];
  let rest = text.replace(documentTag, (_match, _tag: string, attributes: string, body: string) => {
    const id = /\b(?:index|id)\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1] ?? String(passages.length + 1);
    passages.push({ id, text: clean(body) });
    return '';
  });
  const fromMarkers = numberedPassages(rest);
  passages.push(...fromMarkers.passages);
  rest = fromMarkers.rest;
  // A Context: section without markers: its paragraphs, numbered from 1.
  const lines = rest.split('\n');
  const start = lines.findIndex((line) => contextHeader.test(line));
  if (start >= 0) {
    let end = lines.findIndex((line, i) => i > start && questionLabel.test(line));
    if (end < 0) end = lines.length;
    const first = contextHeader.exec(lines[start] ?? '')?.[1] ?? '';
    const body = [first, ...lines.slice(start + 1, end)].join('\n');
    const paragraphs = body
      .split(/\n\s*\n/)
      .map(clean)
      .filter((p) => p !== '');
    for (const text of paragraphs) passages.push({ id: String(passages.length + 1), text });
    if (paragraphs.length > 0) rest = [...lines.slice(0, start), ...lines.slice(end)].join('\n');
  }
  return { passages: passages.filter((p) => p.text !== ''), rest };
}

/** The question: a `Question:` line (and the lines after it), else the text left over. */
export function readQuestion(text: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => questionLabel.test(line));
  if (at >= 0) {
    const first = questionLabel.exec(lines[at] ?? '')?.[1] ?? '';
    const following: string[] = [];
    for (const line of lines.slice(at + 1)) {
      if (line.trim() === '' || contextHeader.test(line) || numbered.test(line)) break;
      following.push(line);
    }
    return [first, ...following].join(' ').trim();
  }
  return text.trim();
}

/** Sentences of a passage: split after . ! ? 。 and at line breaks; list markers dropped. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|\n+/u)
    .map((s) => s.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim())
    .filter((s) => terms(s).length > 0);
}

const notFound = {
  en: "I don't know: the given context does not answer this question.",
  ko: '주어진 문맥으로는 답을 알 수 없습니다.',
};
const noContext = {
  en: "I don't know: no context was given to answer from.",
  ko: '답할 근거가 되는 문맥이 주어지지 않았습니다.',
};
const lead = { en: 'From the given context:', ko: '주어진 문맥에 따르면:' };

/**
 * A sentence answers when it covers 30 % of the question's idf weight, or half of its distinct
 * terms (a term no passage has gets the highest idf, which alone can sink a fair match).
 */
const answers = (match: { coverage: number; share: number }) => match.coverage >= 0.3 || match.share >= 0.5;

export function answerFromPassages(question: string, passages: readonly Passage[]): ExtractiveAnswer {
  const language = isKorean(question) ? 'ko' : 'en';
  if (passages.length === 0)
    return { found: false, answer: noContext[language], citations: [], language, coverage: 0 };
  const sentences = passages.flatMap((p) =>
    sentencesOf(p.text).map((sentence) => ({ passage: p.id, sentence })),
  );
  const query = queryTerms(question);
  const scored = bm25(
    sentences.map((s) => terms(s.sentence)),
    query,
  )
    .map((match, i) => ({ ...match, ...(sentences[i] as Citation), order: i }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const best = scored[0];
  if (!best || !answers(best))
    return {
      found: false,
      answer: notFound[language],
      citations: [],
      language,
      coverage: best?.coverage ?? 0,
    };
  const chosen = [best];
  const covered = new Set(best.matched);
  for (const candidate of scored.slice(1)) {
    if (chosen.length === 3) break;
    const addsTerms = candidate.matched.some((t) => !covered.has(t) && (query.get(t) ?? 0) >= 1);
    if (candidate.score >= 0.85 * best.score || (candidate.score >= 0.5 * best.score && addsTerms)) {
      if (chosen.some((c) => c.sentence === candidate.sentence)) continue;
      chosen.push(candidate);
      for (const t of candidate.matched) covered.add(t);
    }
  }
  const citations = chosen.map(({ passage, sentence }) => ({ passage, sentence }));
  const answer = [lead[language], ...citations.map((c) => `"${c.sentence}" [${c.passage}]`)].join('\n');
  return { found: true, answer, citations, language, coverage: best.coverage };
}

export interface ExtractiveSources {
  system: string;
  userTexts: readonly string[];
  question?: string;
  passages?: ReadonlyArray<string | { id?: string | number; text: string }>;
}

/** Reads passages and the question from a prompt's texts (see the formats above) and answers. */
export function extractiveAnswer(sources: ExtractiveSources): ExtractiveAnswer & { passageCount: number } {
  const passages: Passage[] = (sources.passages ?? []).map((p, i) =>
    typeof p === 'string' ? { id: String(i + 1), text: p } : { id: String(p.id ?? i + 1), text: p.text },
  );
  passages.push(...readPassages(sources.system).passages);
  let questionText = '';
  sources.userTexts.forEach((text, i) => {
    const read = readPassages(text);
    passages.push(...read.passages);
    if (i === sources.userTexts.length - 1) questionText = read.rest;
  });
  const question = sources.question ?? readQuestion(questionText);
  return { ...answerFromPassages(question, passages), passageCount: passages.length };
}
