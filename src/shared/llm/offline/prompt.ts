import type { LanguageModelV3Prompt } from '@ai-sdk/provider';

/** The parts of an SDK prompt the offline tasks read: text only (files are not read). */
export interface PromptView {
  /** Every system message, joined by blank lines. */
  system: string;
  /** The text of each user message, in order. */
  userTexts: string[];
  /** The text of the last user message ('' when there is none). */
  lastUser: string;
  /** Tool results that arrived after the last user message (a tool loop's second step). */
  toolResults: Array<{ toolName: string; output: unknown }>;
  /** File parts seen in user or assistant messages (not read offline). */
  fileParts: number;
}

function textOf(parts: ReadonlyArray<{ type: string; text?: string }>): string {
  return parts
    .filter((p) => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

export function readPrompt(prompt: LanguageModelV3Prompt): PromptView {
  const system: string[] = [];
  const userTexts: string[] = [];
  let toolResults: PromptView['toolResults'] = [];
  let fileParts = 0;
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        system.push(message.content);
        break;
      case 'user':
        userTexts.push(textOf(message.content));
        fileParts += message.content.filter((p) => p.type === 'file').length;
        toolResults = [];
        break;
      case 'assistant':
        fileParts += message.content.filter((p) => p.type === 'file').length;
        break;
      case 'tool':
        for (const part of message.content)
          if (part.type === 'tool-result') toolResults.push({ toolName: part.toolName, output: part.output });
        break;
    }
  }
  return {
    system: system.join('\n\n'),
    userTexts,
    lastUser: userTexts.at(-1) ?? '',
    toolResults,
    fileParts,
  };
}

/** The prompt as one text, for counting input tokens (roles, text, tool calls and results). */
export function promptText(prompt: LanguageModelV3Prompt): string {
  const out: string[] = [];
  for (const message of prompt) {
    if (message.role === 'system') {
      out.push(`system: ${message.content}`);
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') out.push(`${message.role}: ${part.text}`);
      else if (part.type === 'tool-call')
        out.push(`${message.role}: ${part.toolName} ${JSON.stringify(part.input)}`);
      else if (part.type === 'tool-result')
        out.push(`${message.role}: ${part.toolName} ${JSON.stringify(part.output)}`);
    }
  }
  return out.join('\n');
}
