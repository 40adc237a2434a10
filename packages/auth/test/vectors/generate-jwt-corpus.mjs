// Writes jwt-corpus.json: fixed keys and tokens for the attack corpus (run once; the JSON is the data).
// node test/vectors/generate-jwt-corpus.mjs
import { createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { CompactEncrypt, exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';

const now = 1_767_225_600; // 2026-01-01T00:00:00Z, the clock of every case
const iss = 'https://auth.example';
const aud = 'api';
const b64 = (value) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const claims = (extra = {}) => ({ sub: 'user-1', iss, aud, iat: now - 60, exp: now + 600, ...extra });

const hsSecret = randomBytes(32);
const rsa = await generateKeyPair('RS256', { extractable: true });
const es = await generateKeyPair('ES256', { extractable: true });
const ed = await generateKeyPair('EdDSA', { extractable: true, crv: 'Ed25519' });
const attacker = await generateKeyPair('ES256', { extractable: true });
const jweSecret = randomBytes(32);

const keys = {
  'hs-1': { alg: 'HS256', jwk: { kty: 'oct', k: hsSecret.toString('base64url') } },
  'rsa-1': { alg: 'RS256', jwk: await exportJWK(rsa.privateKey) },
  'es-1': { alg: 'ES256', jwk: await exportJWK(es.privateKey) },
  'ed-1': { alg: 'EdDSA', jwk: await exportJWK(ed.privateKey) },
};
const signWith = (kid, body, header = {}) =>
  new SignJWT(body)
    .setProtectedHeader({ alg: keys[kid].alg, kid, typ: 'JWT', ...header })
    .sign(kid === 'hs-1' ? hsSecret : { 'rsa-1': rsa, 'es-1': es, 'ed-1': ed }[kid].privateKey);
const hmac = (secret, input) => createHmac('sha256', secret).update(input).digest('base64url');

const valid = await signWith('rsa-1', claims());
const [vh, vp, vs] = valid.split('.');
const rsaPem = await exportSPKI(rsa.publicKey);
const confusedInput = `${b64({ alg: 'HS256', kid: 'rsa-1', typ: 'JWT' })}.${b64(claims())}`;
const esValid = await signWith('es-1', claims());
const [eh, ep] = esValid.split('.');
const noneInput = (alg) => `${b64({ alg, kid: 'rsa-1', typ: 'JWT' })}.${b64(claims())}.`;

const positives = [
  { name: 'HS256 token', token: await signWith('hs-1', claims()) },
  { name: 'RS256 token', token: valid },
  { name: 'ES256 token', token: esValid },
  { name: 'EdDSA token', token: await signWith('ed-1', claims()) },
  {
    name: 'expired 3 s ago, inside the 5 s clock tolerance',
    token: await signWith('ed-1', claims({ exp: now - 3 })),
  },
  {
    name: 'nbf 3 s ahead, inside the 5 s clock tolerance',
    token: await signWith('es-1', claims({ nbf: now + 3 })),
  },
];

const negatives = [
  { name: 'alg none (CVE-2022-23540 class)', token: noneInput('none'), code: 'ERR_AUTH_ALGORITHM_REJECTED' },
  { name: 'alg NoNe, mixed case', token: noneInput('NoNe'), code: 'ERR_AUTH_ALGORITHM_REJECTED' },
  {
    name: 'alg none with a signature copied from a valid token',
    token: `${noneInput('none')}${vs}`,
    code: 'ERR_AUTH_ALGORITHM_REJECTED',
  },
  {
    name: 'HS256 signed with the RSA public key PEM (algorithm confusion, CVE-2022-23541 class)',
    token: `${confusedInput}.${hmac(rsaPem, confusedInput)}`,
    code: 'ERR_AUTH_ALGORITHM_REJECTED',
  },
  {
    name: 'ES256 token naming the RS256 key',
    token: await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'rsa-1' }).sign(es.privateKey),
    code: 'ERR_AUTH_ALGORITHM_REJECTED',
  },
  {
    name: 'expired an hour ago',
    token: await signWith('hs-1', claims({ exp: now - 3600 })),
    code: 'ERR_AUTH_TOKEN_EXPIRED',
  },
  {
    name: 'expired 10 s ago, past the 5 s clock tolerance',
    token: await signWith('rsa-1', claims({ exp: now - 10 })),
    code: 'ERR_AUTH_TOKEN_EXPIRED',
  },
  {
    name: 'nbf an hour in the future',
    token: await signWith('es-1', claims({ nbf: now + 3600 })),
    code: 'ERR_AUTH_TOKEN_NOT_YET_VALID',
  },
  {
    name: 'wrong aud',
    token: await signWith('ed-1', claims({ aud: 'other-api' })),
    code: 'ERR_AUTH_TOKEN_CLAIM',
  },
  {
    name: 'wrong iss',
    token: await signWith('ed-1', claims({ iss: 'https://evil.example' })),
    code: 'ERR_AUTH_TOKEN_CLAIM',
  },
  { name: 'no exp', token: await signWith('hs-1', claims({ exp: undefined })), code: 'ERR_AUTH_TOKEN_CLAIM' },
  { name: 'no aud', token: await signWith('hs-1', claims({ aud: undefined })), code: 'ERR_AUTH_TOKEN_CLAIM' },
  { name: 'no iss', token: await signWith('hs-1', claims({ iss: undefined })), code: 'ERR_AUTH_TOKEN_CLAIM' },
  {
    name: 'tampered payload (sub changed, signature kept)',
    token: `${vh}.${b64(claims({ sub: 'admin' }))}.${vs}`,
    code: 'ERR_AUTH_TOKEN_SIGNATURE',
  },
  {
    name: 'tampered header (typ changed, signature kept)',
    token: `${b64({ alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt' })}.${vp}.${vs}`,
    code: 'ERR_AUTH_TOKEN_SIGNATURE',
  },
  { name: 'signature stripped', token: `${vh}.${vp}.`, code: 'ERR_AUTH_TOKEN_SIGNATURE' },
  {
    name: 'ES256 psychic signature r = s = 0 (CVE-2022-21449 class)',
    token: `${eh}.${ep}.${Buffer.alloc(64).toString('base64url')}`,
    code: 'ERR_AUTH_TOKEN_SIGNATURE',
  },
  {
    name: 'unknown kid',
    token: await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-9' })
      .sign(rsa.privateKey),
    code: 'ERR_AUTH_KEY_NOT_FOUND',
  },
  {
    name: 'path-like kid',
    token: await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: '../../../../dev/null' })
      .sign(new Uint8Array(32)),
    code: 'ERR_AUTH_KEY_NOT_FOUND',
  },
  {
    name: 'kid __proto__',
    token: await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: '__proto__' })
      .sign(new Uint8Array(32)),
    code: 'ERR_AUTH_KEY_NOT_FOUND',
  },
  {
    name: 'kid with SQL',
    token: await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: "x' UNION SELECT 'secret" })
      .sign(new Uint8Array(32)),
    code: 'ERR_AUTH_KEY_NOT_FOUND',
  },
  {
    name: 'kid not a string',
    token: `${b64({ alg: 'HS256', kid: 7 })}.${b64(claims())}.${vs}`,
    code: 'ERR_AUTH_KEY_NOT_FOUND',
  },
  {
    name: 'embedded jwk header: signed with the attacker key it carries (CVE-2018-0114 class)',
    token: await new SignJWT(claims())
      .setProtectedHeader({ alg: 'ES256', kid: 'es-1', jwk: await exportJWK(attacker.publicKey) })
      .sign(attacker.privateKey),
    code: 'ERR_AUTH_HEADER_REJECTED',
  },
  {
    name: 'jku header pointing elsewhere',
    token: await signWith('es-1', claims(), { jku: 'https://evil.example/jwks.json' }),
    code: 'ERR_AUTH_HEADER_REJECTED',
  },
  {
    name: 'x5u header pointing elsewhere',
    token: await signWith('es-1', claims(), { x5u: 'https://evil.example/cert.pem' }),
    code: 'ERR_AUTH_HEADER_REJECTED',
  },
  {
    name: 'unknown crit extension',
    token: ((input) => `${input}.${hmac(hsSecret, input)}`)(
      `${b64({ alg: 'HS256', kid: 'hs-1', crit: ['exp2'], exp2: 1 })}.${b64(claims())}`,
    ),
    code: 'ERR_AUTH_TOKEN_MALFORMED',
  },
  {
    name: 'oversized token (20 kB claims)',
    token: await signWith('hs-1', claims({ pad: 'a'.repeat(20_000) })),
    code: 'ERR_AUTH_TOKEN_TOO_LARGE',
  },
  { name: 'two segments', token: `${vh}.${vp}`, code: 'ERR_AUTH_TOKEN_MALFORMED' },
  { name: 'header not JSON', token: `${b64('not json')}.${vp}.${vs}`, code: 'ERR_AUTH_TOKEN_MALFORMED' },
  { name: 'header a JSON array', token: `${b64([1])}.${vp}.${vs}`, code: 'ERR_AUTH_TOKEN_MALFORMED' },
  { name: 'payload not JSON', token: `${vh}.${b64('hello')}.${vs}`, code: 'ERR_AUTH_TOKEN_SIGNATURE' },
  { name: 'empty string', token: '', code: 'ERR_AUTH_TOKEN_MALFORMED' },
];

// Encrypted tokens: refused outright without `decryption`; with it, PBES2 and zip stay refused.
const jweKey = await importJWK({ kty: 'oct', k: jweSecret.toString('base64url') }, 'dir');
const encrypt = (header, body = claims()) =>
  new CompactEncrypt(Buffer.from(JSON.stringify(body))).setProtectedHeader(header).encrypt(jweKey);
const encrypted = [
  {
    name: 'dir/A256GCM JWE',
    token: await encrypt({ alg: 'dir', enc: 'A256GCM' }),
    withoutDecryption: 'ERR_AUTH_JWE_REJECTED',
    withDecryption: null,
  },
  {
    name: 'PBES2 JWE with a huge p2c (CVE-2022-36083 class)',
    token: `${b64({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 2_000_000_000, p2s: 'c2FsdHNhbHRzYWx0' })}.AAAA.AAAA.AAAA.AAAA`,
    withoutDecryption: 'ERR_AUTH_JWE_REJECTED',
    withDecryption: 'ERR_AUTH_JWE_REJECTED',
  },
  {
    name: 'compressed JWE, zip DEF (CVE-2024-28176 class)',
    token: `${b64({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' })}.${''}.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`,
    withoutDecryption: 'ERR_AUTH_JWE_REJECTED',
    withDecryption: 'ERR_AUTH_JWE_REJECTED',
  },
];

writeFileSync(
  new URL('./jwt-corpus.json', import.meta.url),
  `${JSON.stringify({ now, issuer: iss, audience: aud, clockTolerance: 5, maxTokenLength: 8192, keys, jweKey: { kty: 'oct', k: jweSecret.toString('base64url') }, positives, negatives, encrypted }, null, 2)}\n`,
);
console.log(
  `wrote ${positives.length} positives, ${negatives.length} negatives, ${encrypted.length} encrypted cases`,
);
