import { readFileSync } from 'node:fs';
import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { createOfflineLanguageModel } from './offline-language-model.js';
import { readPrompt } from './prompt.js';
import { inferTask, type OfflineOptions } from './run-task.js';

const diff = readFileSync(new URL('./fixtures/synthetic/ci-workflow.diff', import.meta.url), 'utf8');

function taskOf(
  prompt: LanguageModelV3Prompt,
  call: Partial<LanguageModelV3CallOptions> = {},
  options: OfflineOptions = {},
) {
  return inferTask({ view: readPrompt(prompt), options, call: { prompt, ...call }, now: new Date() });
}

const user = (text: string): LanguageModelV3Prompt[number] => ({
  role: 'user',
  content: [{ type: 'text', text }],
});
const system = (content: string): LanguageModelV3Prompt[number] => ({ role: 'system', content });

describe('inferTask', () => {
  it('reads a diff as a commit-message request', () => {
    expect(taskOf([user(`Commit message please:\n\`\`\`diff\n${diff}\`\`\``)])).toBe('commit-message');
    expect(taskOf([user('describe it')], {}, { diff })).toBe('commit-message');
  });

  it('routes when tools may be called, and not when tool choice is none', () => {
    const tools: LanguageModelV3CallOptions['tools'] = [
      { type: 'function', name: 'get_metric', description: 'Read a metric', inputSchema: { type: 'object' } },
    ];
    expect(taskOf([user('CPU of web-01?')], { tools })).toBe('route');
    expect(taskOf([user('CPU of web-01?')], { tools, toolChoice: { type: 'none' } })).toBe('chat');
  });

  it('answers extractively when passages are given, and routes on a Routes: list', () => {
    expect(taskOf([system('Context:\nBackups run nightly.'), user('When do backups run?')])).toBe(
      'extractive-answer',
    );
    expect(taskOf([user('[1] Backups run nightly.\n\nWhen?')])).toBe('extractive-answer');
    expect(taskOf([user('When?')], {}, { passages: ['Backups run nightly.'] })).toBe('extractive-answer');
    expect(
      taskOf([system('Routes:\n- billing: invoices\n- shipping: parcels'), user('Where is my parcel?')]),
    ).toBe('route');
  });

  it('falls back to chat', () => {
    expect(taskOf([user('Tell me a joke')])).toBe('chat');
  });
});

describe('provider options', () => {
  it('refuses a task the offline model does not have', async () => {
    const model = createOfflineLanguageModel();
    await expect(
      model.doGenerate({ prompt: [user('hi')], providerOptions: { 'keel-offline': { task: 'poem' } } }),
    ).rejects.toThrow(/keel-offline/);
  });
});
