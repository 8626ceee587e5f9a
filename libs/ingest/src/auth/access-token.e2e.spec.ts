import { createHmac, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { COUNTY, JWT_SECRET, SCHOOL_A, startIngestTestApp } from '../testing/ingest-test-app';

const base64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/** A token as an attacker would assemble one: any header, any claims, signed however. */
function forge(header: object, claims: object, sign: (input: string) => Buffer | string): string {
  const input = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign(input);
  return `${input}.${typeof signature === 'string' ? signature : signature.toString('base64url')}`;
}
const hmac = (algorithm: string, key: string | Buffer) => (input: string) => createHmac(algorithm, key).update(input).digest();

describe('Access tokens: only HS256 with the secret, and only with exp', () => {
  let t: IngestTestApp;
  let claims: object;
  const now = () => Math.floor(Date.now() / 1000);
  beforeAll(async () => {
    t = await startIngestTestApp();
    const login = await t.http.post('/api/v1/auth/login').send({ username: 'staff.a', password: 'a test password' }).expect(200);
    const user = login.body.user as { id: string };
    // Every claim a token of this app ever carried, so a forged one is refused for its algorithm or exp, not for a missing claim.
    claims = { sub: user.id, ver: 0, username: 'staff.a', role: 'school_staff', schoolId: SCHOOL_A, countyId: COUNTY, iat: now() };
  });
  afterAll(() => t.close());

  // Past the guard, an unknown child is 404; a refused token never gets there.
  const read = (token: string) => t.http.get(`/api/v1/children/${randomUUID()}`).set('authorization', `Bearer ${token}`);

  const FORGED: [string, () => string][] = [
    ['alg none, unsigned', () => forge({ alg: 'none', typ: 'JWT' }, { ...claims, exp: now() + 60 }, () => '')],
    ['alg None, unsigned', () => forge({ alg: 'None', typ: 'JWT' }, { ...claims, exp: now() + 60 }, () => '')],
    ['HS384 with the secret', () => forge({ alg: 'HS384', typ: 'JWT' }, { ...claims, exp: now() + 60 }, hmac('sha384', JWT_SECRET))],
    ['HS512 with the secret', () => forge({ alg: 'HS512', typ: 'JWT' }, { ...claims, exp: now() + 60 }, hmac('sha512', JWT_SECRET))],
    ['RS256 header, HMAC signature with the secret (key confusion)', () => forge({ alg: 'RS256', typ: 'JWT' }, { ...claims, exp: now() + 60 }, hmac('sha256', JWT_SECRET))],
    [
      'RS256 signed with some RSA key',
      () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return forge({ alg: 'RS256', typ: 'JWT' }, { ...claims, exp: now() + 60 }, (input) => createSign('RSA-SHA256').update(input).sign(privateKey));
      },
    ],
    ['HS256 without exp', () => forge({ alg: 'HS256', typ: 'JWT' }, claims, hmac('sha256', JWT_SECRET))],
    ['HS256 with a non-numeric exp', () => forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: 'never' }, hmac('sha256', JWT_SECRET))],
    ['HS256 expired', () => forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now() - 1 }, hmac('sha256', JWT_SECRET))],
    ['HS256 with another secret', () => forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now() + 60 }, hmac('sha256', 'another-secret-another-secret-another'))],
    ['HS256 for a user that does not exist', () => forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: '00000000-0000-4000-8000-000000000000', exp: now() + 60 }, hmac('sha256', JWT_SECRET))],
  ];

  it('accepts HS256 with the secret and exp, and refuses every other algorithm, a missing or passed exp, another key and an unknown account with 401 invalid-token', async () => {
    await read(forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now() + 60 }, hmac('sha256', JWT_SECRET))).expect(404);
    const issued = (await t.http.post('/api/v1/auth/login').send({ username: 'staff.a', password: 'a test password' }).expect(200)).body.accessToken as string;
    expect(JSON.parse(Buffer.from(issued.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'HS256' });
    for (const [forgery, token] of FORGED) {
      const response = await read(token());
      expect([forgery, response.status, response.headers['content-type'], response.body.code]).toEqual([forgery, 401, expect.stringMatching(/^application\/problem\+json/), 'invalid-token']);
    }
  });
});
