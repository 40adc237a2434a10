// A string as a JSON string literal, byte for byte what JSON.stringify writes (lone surrogates as
// \uXXXX escapes), with a fast path for strings that need no escaping (bench "serialize DTO").

// Escaping is needed for `"`, `\`, controls below U+0020 and surrogates (a lone one must be escaped;
// JSON.stringify, which handles both cases, takes any string holding one).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes.
const needsEscape = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * What goes between the quotes of `text`'s JSON string literal: `text` itself when nothing needs
 * escaping (no copy), so generated serializers fold the quotes into their key literals.
 */
export function jsonStringContent(text: string): string {
  const length = text.length;
  // Short strings: a char loop beats the regex's setup, and escapes `"` and `\` itself (the split
  // fast-json-stringify makes; bench "serialize DTO", whose names hold quotes).
  if (length < 42) {
    let escaped = '';
    let last = -1;
    for (let index = 0; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code === 34 || code === 92) {
        if (last === -1) last = 0;
        escaped += `${text.slice(last, index)}\\`;
        last = index;
      } else if (code < 32 || (code >= 0xd800 && code <= 0xdfff)) {
        return JSON.stringify(text).slice(1, -1);
      }
    }
    return last === -1 ? text : escaped + text.slice(last);
  }
  return length < 5000 && !needsEscape.test(text) ? text : JSON.stringify(text).slice(1, -1);
}

/** The JSON string literal of `text`, identical to `JSON.stringify(text)`. */
export function jsonString(text: string): string {
  return `"${jsonStringContent(text)}"`;
}
