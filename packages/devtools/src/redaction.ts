// SEAMS §F, observability's form of the one redaction rule, applied to the request headers the
// development error page shows.

const SECRET_PARTS = [
  'secret',
  'private',
  'credential',
  'password',
  'passwd',
  'token',
  'key',
  'cvv',
  'cvc',
  'ssn',
  'jwt',
  'cookie',
  'authorization',
  'session',
];
const SECRET_NAMES = new Set(['cardnumber', 'ccnumber', 'pan']);

/**
 * Whether a name is secret: lower-cased with `-`, `_` and `.` removed, it contains one of `secret`,
 * `private`, `credential`, `password`, `passwd`, `token`, `key`, `cvv`, `cvc`, `ssn`, `jwt`, `cookie`,
 * `authorization`, `session`, or is `cardnumber`, `ccnumber` or `pan` as a whole name.
 */
export function isSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_.]/g, '');
  return SECRET_NAMES.has(normalized) || SECRET_PARTS.some((part) => normalized.includes(part));
}
