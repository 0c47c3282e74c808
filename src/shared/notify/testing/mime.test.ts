import { describe, expect, it } from 'vitest';
import { parseMail } from './mime.js';

describe('parseMail', () => {
  it('reads encoded headers and quoted-printable / base64 alternatives', () => {
    const raw = [
      'From: Keel <n@keel.example>',
      'Subject: =?UTF-8?Q?Build_f=C3=A4iled?= =?UTF-8?B?IDEwMCU=?=',
      'Message-ID: <abc@keel.example>',
      'Content-Type: multipart/alternative; boundary="--b1"',
      '',
      '----b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'caf=C3=A9 100% long line=',
      ' continued',
      '----b1',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>café</p>').toString('base64'),
      '----b1--',
      '',
    ].join('\r\n');
    expect(parseMail(raw)).toEqual({
      headers: {
        from: 'Keel <n@keel.example>',
        subject: 'Build fäiled 100%',
        'message-id': '<abc@keel.example>',
        'content-type': 'multipart/alternative; boundary="--b1"',
      },
      text: 'café 100% long line continued',
      html: '<p>café</p>',
    });
  });
});
