import { describe, expect, it } from 'vitest';
import {
  answerFromPassages,
  extractiveAnswer,
  readPassages,
  readQuestion,
  sentencesOf,
} from './extractive-answer.js';

const lockoutPassages = [
  '[1] Keel signs users in with a username and a password. Passwords are hashed with argon2id.',
  '[2] After five failed sign-ins in a row, the account is locked for 15 minutes.',
  'A locked account answers exactly like a wrong password, so a lockout leaks nothing.',
  '[3] API keys are created under /me/api-keys and shown once.',
].join('\n');

describe('readPassages', () => {
  it('reads [n] passages, with their continuation lines, and leaves the rest', () => {
    const { passages, rest } = readPassages(`${lockoutPassages}\n\nHow long does a lockout last?`);
    expect(passages.map((p) => p.id)).toEqual(['1', '2', '3']);
    expect(passages[1]?.text).toMatch(/^After five failed sign-ins.*leaks nothing\.$/s);
    expect(readQuestion(rest)).toBe('How long does a lockout last?');
  });

  it('reads a Context: section by paragraphs and a Question: line', () => {
    const text =
      'Context:\nThe scheduler runs on the leader.\n\nBackups run nightly at 02:00.\n\nQuestion: When do backups run?';
    const { passages, rest } = readPassages(text);
    expect(passages).toEqual([
      { id: '1', text: 'The scheduler runs on the leader.' },
      { id: '2', text: 'Backups run nightly at 02:00.' },
    ]);
    expect(readQuestion(rest)).toBe('When do backups run?');
  });

  it('reads <document> tags', () => {
    const { passages } = readPassages(
      '<document index="4"><source>faq.md</source>Refunds take 5 days.</document>',
    );
    expect(passages).toEqual([{ id: '4', text: 'faq.md Refunds take 5 days.' }]);
  });
});

describe('sentencesOf', () => {
  it('splits English and Korean sentences and list items', () => {
    expect(sentencesOf('One. Two? 셋입니다. 넷이에요!\n- five')).toEqual([
      'One.',
      'Two?',
      '셋입니다.',
      '넷이에요!',
      'five',
    ]);
  });
});

describe('answerFromPassages', () => {
  it('quotes the best sentences with their passage numbers', () => {
    const { passages } = readPassages(lockoutPassages);
    const answer = answerFromPassages('How long is an account locked after failed sign-ins?', passages);
    expect(answer.found).toBe(true);
    expect(answer.citations[0]).toEqual({
      passage: '2',
      sentence: 'After five failed sign-ins in a row, the account is locked for 15 minutes.',
    });
    expect(answer.answer).toContain(
      '"After five failed sign-ins in a row, the account is locked for 15 minutes." [2]',
    );
    expect(answer.citations.length).toBeLessThanOrEqual(3);
  });

  it('says it does not know when nothing in the context answers', () => {
    const { passages } = readPassages(lockoutPassages);
    const answer = answerFromPassages('What is the capital of Australia?', passages);
    expect(answer).toMatchObject({ found: false, citations: [] });
    expect(answer.answer).toMatch(/don't know/);
    expect(answerFromPassages('Anything?', []).answer).toMatch(/no context/);
  });

  it('answers Korean questions from Korean passages by character bigrams', () => {
    const passages = [
      { id: '1', text: '비밀번호는 argon2id로 해시되어 저장됩니다. 원문은 저장하지 않습니다.' },
      { id: '2', text: '로그인에 다섯 번 연속 실패하면 계정이 15분 동안 잠깁니다.' },
      { id: '3', text: 'API 키는 설정 화면에서 만들 수 있습니다.' },
    ];
    const answer = answerFromPassages('로그인에 실패하면 계정은 얼마 동안 잠기나요?', passages);
    expect(answer).toMatchObject({ found: true, language: 'ko' });
    expect(answer.citations[0]?.passage).toBe('2');
    expect(answer.answer.startsWith('주어진 문맥에 따르면:')).toBe(true);
    expect(answerFromPassages('환불은 며칠 걸리나요?', passages)).toMatchObject({
      found: false,
      answer: '주어진 문맥으로는 답을 알 수 없습니다.',
    });
  });
});

describe('extractiveAnswer', () => {
  it('takes passages from the system prompt and the question from the last user message', () => {
    const answer = extractiveAnswer({
      system: `Answer from these passages.\n${lockoutPassages}`,
      userTexts: ['Where are API keys created?'],
    });
    expect(answer).toMatchObject({ found: true, passageCount: 3 });
    expect(answer.citations[0]?.passage).toBe('3');
  });

  it('accepts passages given as provider options', () => {
    const answer = extractiveAnswer({
      system: '',
      userTexts: ['When do backups run?'],
      passages: [
        'The scheduler runs on the leader.',
        { id: 'ops-7', text: 'Backups run nightly at 02:00 UTC.' },
      ],
    });
    expect(answer.citations).toEqual([{ passage: 'ops-7', sentence: 'Backups run nightly at 02:00 UTC.' }]);
  });
});
