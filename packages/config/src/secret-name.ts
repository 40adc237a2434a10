// The one redaction rule shared by every Plinth package: which names hold secrets.

// A key is secret when its name, lower-cased with `-`, `_` and `.` removed, contains one of these
// (the whole rule of @plinth/config; @plinth/observability redacts these and a few more).
const secretFragments = ['secret', 'private', 'credential', 'password', 'passwd', 'token', 'key'];

// The same names come back on every load (the schema's, the environment's): each is folded once.
// bench/index.ts "load (schema built once)": ~7 µs a load without it. Bounded, for names from input.
const known = new Map<string, boolean>();
const maxKnown = 4096;

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
  let secret = known.get(name);
  if (secret === undefined) {
    const folded = name.toLowerCase().replace(/[-_.]/g, '');
    secret = secretFragments.some((fragment) => folded.includes(fragment));
    if (known.size < maxKnown) known.set(name, secret);
  }
  return secret;
}
