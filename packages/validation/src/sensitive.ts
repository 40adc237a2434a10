// Which fields are sensitive: their rejected values never reach a response or the error's issues.
// One rule with @plinth/config and @plinth/observability (SEAMS §F), plus names the route lists.

// SEAMS §F: a key is secret when its name, lower-cased with `-`, `_` and `.` removed, contains one of
// `secret`, `private`, `credential`, `password`, `passwd`, `token`, `key`.
const secretWords = ['secret', 'private', 'credential', 'password', 'passwd', 'token', 'key'];

/** Whether a field name is secret by the shared redaction rule. */
export function isSecretName(name: string): boolean {
  const folded = name.toLowerCase().replace(/[-_.]/g, '');
  return secretWords.some((word) => folded.includes(word));
}

/** Decides, by field name, whether a field's value may be echoed. */
export type SensitiveTest = (name: string) => boolean;

/** The test for a route: the shared rule plus the names the route lists (compared as written). */
export function sensitiveTest(extra: readonly string[] = []): SensitiveTest {
  if (extra.length === 0) return isSecretName;
  const names = new Set(extra);
  return (name) => names.has(name) || isSecretName(name);
}
