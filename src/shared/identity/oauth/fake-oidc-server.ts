import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** Who "signs in" at the fake provider's next /authorize. */
export interface FakeOidcUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** Ways the next ID token can be wrong, for the tests that must refuse it. */
export interface FakeOidcTampering {
  nonce?: string;
  audience?: string;
  issuer?: string;
  /** Sign with a key that is not in /jwks (but claim the published key id). */
  signWithOtherKey?: boolean;
}

export interface FakeOidcServer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The query of every /authorize request. */
  authorizeRequests: URLSearchParams[];
  /** How many /token requests came, and how many were refused. */
  tokenRequests: { accepted: number; refused: number };
  nextUser: FakeOidcUser;
  tamper: FakeOidcTampering;
  /**
   * Follows an authorization URL the way a browser and a consenting user would: GET /authorize,
   * and return the path and query of the redirect back to the app (`/auth/google/callback?...`).
   */
  authorize(authorizationUrl: string): Promise<string>;
  close(): Promise<void>;
}

interface Grant {
  redirectUri: string;
  codeChallenge: string;
  nonce: string | null;
  scope: string;
  user: FakeOidcUser;
}

/**
 * Test support: a real OpenID provider on loopback with Google's flow: /authorize (records the
 * request, redirects with a code), /token (checks grant type, code, redirect URI, client
 * credentials and the PKCE S256 verifier; answers an RS256 ID token) and /jwks.
 */
export async function startFakeOidcServer(): Promise<FakeOidcServer> {
  const clientId = 'keel-test-client.apps.example.com';
  const clientSecret = `secret-${randomBytes(8).toString('hex')}`;
  const kid = 'fake-key-1';
  const keys = await generateKeyPair('RS256', { extractable: true });
  const otherKeys = await generateKeyPair('RS256');
  const publicJwk: JWK = { ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeOidcServer = {
    issuer,
    clientId,
    clientSecret,
    authorizeRequests: [],
    tokenRequests: { accepted: 0, refused: 0 },
    nextUser: { sub: '1000', email: 'someone@example.com', email_verified: true, name: 'Some One' },
    tamper: {},
    async authorize(authorizationUrl) {
      const response = await fetch(authorizationUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) {
        throw new Error(`/authorize answered ${response.status}: ${await response.text()}`);
      }
      const back = new URL(location);
      return `${back.pathname}${back.search}`;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'GET' && url.pathname === '/authorize') return authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/token') return token(req, new URLSearchParams(body), res);
    if (req.method === 'GET' && url.pathname === '/jwks') return json(res, 200, { keys: [publicJwk] });
    json(res, 404, { error: 'not_found' });
  }

  function authorize(query: URLSearchParams, res: ServerResponse): void {
    fake.authorizeRequests.push(query);
    const redirectUri = query.get('redirect_uri');
    const challenge = query.get('code_challenge');
    if (
      query.get('client_id') !== clientId ||
      query.get('response_type') !== 'code' ||
      query.get('code_challenge_method') !== 'S256' ||
      !challenge ||
      !redirectUri
    ) {
      json(res, 400, { error: 'invalid_request' });
      return;
    }
    const code = randomBytes(16).toString('base64url');
    grants.set(code, {
      redirectUri,
      codeChallenge: challenge,
      nonce: query.get('nonce'),
      scope: query.get('scope') ?? '',
      user: { ...fake.nextUser },
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', query.get('state') ?? '');
    res.writeHead(302, { location: back.toString() }).end();
  }

  async function token(req: IncomingMessage, form: URLSearchParams, res: ServerResponse): Promise<void> {
    const refuse = (status: number, error: string) => {
      fake.tokenRequests.refused++;
      json(res, status, { error });
    };
    const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return refuse(401, 'invalid_client');
    if (form.get('grant_type') !== 'authorization_code') return refuse(400, 'unsupported_grant_type');
    const code = form.get('code') ?? '';
    const grant = grants.get(code);
    grants.delete(code);
    if (!grant || form.get('redirect_uri') !== grant.redirectUri) return refuse(400, 'invalid_grant');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (challenge !== grant.codeChallenge) return refuse(400, 'invalid_grant');

    const { tamper, user } = { tamper: fake.tamper, user: grant.user };
    const nonce = tamper.nonce ?? grant.nonce;
    const idToken = await new SignJWT({
      ...(nonce ? { nonce } : {}),
      ...(user.email !== undefined ? { email: user.email } : {}),
      ...(user.email_verified !== undefined ? { email_verified: user.email_verified } : {}),
      ...(user.name !== undefined ? { name: user.name } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(tamper.issuer ?? issuer)
      .setAudience(tamper.audience ?? clientId)
      .setSubject(user.sub)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(tamper.signWithOtherKey ? otherKeys.privateKey : keys.privateKey);
    fake.tokenRequests.accepted++;
    json(res, 200, {
      access_token: randomBytes(16).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 3599,
      scope: grant.scope,
      id_token: idToken,
    });
  }

  return fake;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
