import { describe, expect, it } from 'vitest';
import { googleConfigFrom } from './google.config.js';

describe('googleConfigFrom', () => {
  it('is off without a client id', () => {
    expect(googleConfigFrom({})).toBeNull();
    expect(googleConfigFrom({ GOOGLE_CLIENT_ID: '', GOOGLE_CLIENT_SECRET: 's' })).toBeNull();
  });

  it("uses Google's endpoints by default", () => {
    expect(googleConfigFrom({ GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 's' })).toEqual({
      clientId: 'id',
      clientSecret: 's',
      authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenEndpoint: 'https://oauth2.googleapis.com/token',
      jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
      issuers: ['https://accounts.google.com', 'accounts.google.com'],
    });
  });

  it('points every endpoint and the issuer at GOOGLE_OAUTH_ISSUER', () => {
    expect(
      googleConfigFrom({
        GOOGLE_CLIENT_ID: 'id',
        GOOGLE_CLIENT_SECRET: 's',
        GOOGLE_OAUTH_ISSUER: 'http://127.0.0.1:9000/',
      }),
    ).toMatchObject({
      authorizationEndpoint: 'http://127.0.0.1:9000/authorize',
      tokenEndpoint: 'http://127.0.0.1:9000/token',
      jwksUri: 'http://127.0.0.1:9000/jwks',
      issuers: ['http://127.0.0.1:9000'],
    });
  });

  it('names the missing or wrong variable', () => {
    expect(() => googleConfigFrom({ GOOGLE_CLIENT_ID: 'id' })).toThrow(/GOOGLE_CLIENT_SECRET/);
    expect(() =>
      googleConfigFrom({
        GOOGLE_CLIENT_ID: 'id',
        GOOGLE_CLIENT_SECRET: 's',
        GOOGLE_OAUTH_ISSUER: 'not a url',
      }),
    ).toThrow(/GOOGLE_OAUTH_ISSUER/);
  });
});
