import type { TemplateSource } from './render.js';

/**
 * Templates shipped with Keel (version 0). An admin's stored version of the same name and locale
 * replaces them; modules add their own here.
 */
export const builtinTemplates: readonly TemplateSource[] = [
  {
    name: 'notify.test',
    locale: 'en',
    version: 0,
    subject: 'Keel test notification',
    text: 'This is a test notification from Keel.{{#note}}\n\n{{note}}{{/note}}',
    html: '<p>This is a test notification from Keel.</p>{{#note}}<p>{{note}}</p>{{/note}}',
    kakaoTemplateCode: null,
  },
  {
    name: 'notify.test',
    locale: 'ko',
    version: 0,
    subject: 'Keel 테스트 알림',
    text: 'Keel에서 보낸 테스트 알림입니다.{{#note}}\n\n{{note}}{{/note}}',
    html: '<p>Keel에서 보낸 테스트 알림입니다.</p>{{#note}}<p>{{note}}</p>{{/note}}',
    kakaoTemplateCode: null,
  },
  {
    name: 'llm.cost_alert',
    locale: 'en',
    version: 0,
    subject: 'LLM spend reached {{percent}}% of the {{period}} budget',
    text: '{{subject_name}} has spent USD {{spent_usd}} of its USD {{limit_usd}} {{period}} LLM budget ({{percent}}%).',
    html: null,
    kakaoTemplateCode: null,
  },
  {
    name: 'llm.cost_alert',
    locale: 'ko',
    version: 0,
    subject: 'LLM 사용 금액이 {{period}} 예산의 {{percent}}%에 도달했습니다',
    text: '{{subject_name}}의 {{period}} LLM 예산 USD {{limit_usd}} 중 USD {{spent_usd}}를 사용했습니다 ({{percent}}%).',
    html: null,
    kakaoTemplateCode: null,
  },
  {
    name: 'commits.draft_ready',
    locale: 'en',
    version: 0,
    subject: 'Commit draft ready for {{repository}}',
    text: '{{message_header}}\n\n{{files}} files, +{{added}} −{{removed}}. Review and approve (the link works once, for 10 minutes): {{url}}',
    html: '<p><strong>{{message_header}}</strong></p><p>{{files}} files, +{{added}} −{{removed}} in {{repository}}.</p><p><a href="{{url}}">Review and approve</a> (the link works once, for 10 minutes).</p>',
    kakaoTemplateCode: null,
  },
  {
    name: 'commits.draft_ready',
    locale: 'ko',
    version: 0,
    subject: '{{repository}} 커밋 초안이 준비되었습니다',
    text: '{{message_header}}\n\n파일 {{files}}개, +{{added}} −{{removed}}. 검토하고 승인하세요 (링크는 10분 동안 한 번만 쓸 수 있습니다): {{url}}',
    html: '<p><strong>{{message_header}}</strong></p><p>{{repository}}: 파일 {{files}}개, +{{added}} −{{removed}}.</p><p><a href="{{url}}">검토하고 승인하기</a> (링크는 10분 동안 한 번만 쓸 수 있습니다).</p>',
    kakaoTemplateCode: null,
  },
];
