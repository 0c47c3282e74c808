import { describe, expect, it } from 'vitest';
import { checkTemplate, renderTemplate, type TemplateSource, textOf } from './render.js';

const source = (parts: Partial<TemplateSource>): TemplateSource => ({
  name: 't',
  locale: 'en',
  version: 1,
  subject: 'Hi {{name}}',
  text: '',
  html: null,
  kakaoTemplateCode: null,
  ...parts,
});

describe('renderTemplate', () => {
  it('escapes values in HTML only, and never renders a value as a template', () => {
    const message = renderTemplate(source({ text: '{{name}} said {{quote}}', html: '<p>{{quote}}</p>' }), {
      name: 'Kim',
      quote: '<script>{{constructor}}</script>',
    });
    expect(message.text).toBe('Kim said <script>{{constructor}}</script>');
    expect(message.html).toBe('<p>&lt;script&gt;{{constructor}}&lt;&#x2F;script&gt;</p>');
    expect(message.subject).toBe('Hi Kim');
  });

  it('derives the plain text from the HTML when a template has no text part', () => {
    const message = renderTemplate(
      source({ html: '<h1>{{title}}</h1><p>a &amp; b<br>c</p><style>p{}</style>' }),
      {
        title: 'Done',
      },
    );
    expect(message.text).toBe('Done\na & b\nc');
  });

  it('repeats sections over lists and puts subjects on one line', () => {
    const message = renderTemplate(source({ subject: 'Files:\n{{#files}}{{.}} {{/files}}', text: 'x' }), {
      files: ['a.ts', 'b.ts'],
    });
    expect(message.subject).toBe('Files: a.ts b.ts');
  });

  it('carries the Kakao template code with flat string parameters', () => {
    const message = renderTemplate(source({ text: 'x', kakaoTemplateCode: 'K1' }), {
      n: 3,
      nested: { a: 1 },
    });
    expect(message.kakao).toEqual({ templateCode: 'K1', parameters: { n: '3' } });
  });

  it('names the part that does not parse', () => {
    expect(() => checkTemplate({ subject: 'ok', text: '{{#open}}' })).toThrow(
      /^text: the template does not parse/,
    );
    expect(textOf('<p>x</p>')).toBe('x');
  });
});
