// The one redaction rule shared by every Plinth package: which names hold secrets.

// A key is secret when its name, lower-cased with `-`, `_` and `.` removed, contains one of these
// (the whole rule of @plinth/config; @plinth/observability redacts these and a few more).
const secretFragments = ['secret', 'private', 'credential', 'password', 'passwd', 'token', 'key'];

/**
 * Whether a name holds a secret by the shared rule: lower-cased, with `-`, `_` and `.` removed, it
 * contains `secret`, `private`, `credential`, `password`, `passwd`, `token` or `key`.
 *
 * @example
 * isSecretName('DB_PASSWORD'); // true
 * isSecretName('API-KEY'); // true
 * isSecretName('PORT'); // false
 */
export function isSecretName(name: string): boolean {
  const folded = name.toLowerCase().replace(/[-_.]/g, '');
  return secretFragments.some((fragment) => folded.includes(fragment));
}
