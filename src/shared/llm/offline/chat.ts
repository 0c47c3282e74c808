import { isKorean } from './text-match.js';

/**
 * The honest fallback for open-ended requests: the offline model has no language model behind
 * it, so it says so and lists what it can do. It never answers from invented knowledge.
 */
export interface ChatReply {
  text: string;
  language: 'en' | 'ko';
}

const english = [
  "This is Keel's offline model (keel-offline-1). It runs without a neural language model, so it",
  'cannot answer open-ended questions or give recommendations. It can:',
  '- draft a Conventional Commits message from a unified diff;',
  '- answer from passages you give (marked [1], [2] … or after "Context:"), quoting them;',
  '- route a question to one of the tools or routes offered to it.',
  'Configure a language model provider key for open-ended chat.',
].join('\n');

const korean = [
  'Keel 오프라인 모델(keel-offline-1)입니다. 신경망 언어 모델 없이 동작하므로 열린 질문에 답하거나',
  '추천을 드릴 수 없습니다. 할 수 있는 일:',
  '- unified diff로부터 Conventional Commits 커밋 메시지 초안 작성',
  '- 주어진 문단([1], [2] … 또는 "Context:" 뒤)에서 근거 문장을 인용해 답하기',
  '- 질문을 제공된 도구나 경로 중 하나로 라우팅하기',
  '열린 대화에는 언어 모델 제공자 키를 설정하세요.',
].join('\n');

export function chatFallback(userText: string): ChatReply {
  return isKorean(userText) ? { text: korean, language: 'ko' } : { text: english, language: 'en' };
}
