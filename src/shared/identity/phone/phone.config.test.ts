import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../kernel/config/index.js';
import { phoneConfigFrom } from './phone.config.js';

describe('phoneConfigFrom', () => {
  it('defaults to the console provider', () => {
    expect(phoneConfigFrom({})).toEqual({ smsProvider: 'console' });
    expect(phoneConfigFrom({ SMS_PROVIDER: '' })).toEqual({ smsProvider: 'console' });
  });

  it('reads the http provider with its URL and optional token', () => {
    expect(
      phoneConfigFrom({
        SMS_PROVIDER: 'http',
        SMS_HTTP_URL: 'https://sms.example.com/send',
        SMS_HTTP_TOKEN: 't',
      }),
    ).toEqual({ smsProvider: 'http', smsHttpUrl: 'https://sms.example.com/send', smsHttpToken: 't' });
    expect(phoneConfigFrom({ SMS_PROVIDER: 'http', SMS_HTTP_URL: 'http://127.0.0.1:9/x' })).toMatchObject({
      smsHttpToken: undefined,
    });
  });

  it('names the variable that is wrong', () => {
    const errorOf = (env: Record<string, string>) => {
      try {
        phoneConfigFrom(env);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(errorOf({ SMS_PROVIDER: 'carrier-pigeon' })).toMatchObject({ variable: 'SMS_PROVIDER' });
    expect(errorOf({ SMS_PROVIDER: 'http' })).toMatchObject({ variable: 'SMS_HTTP_URL' });
    expect(errorOf({ SMS_PROVIDER: 'http', SMS_HTTP_URL: 'ftp://x' })).toBeInstanceOf(ConfigError);
  });
});
