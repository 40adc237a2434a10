// Context-aware output encoding (OWASP XSS Prevention Cheat Sheet): HTML text, attribute values,
// URLs and JavaScript string literals each need their own encoding; one escape for all is the bug.

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
};

/** Escapes text for an HTML element body or a quoted attribute (`& < > " '`). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => htmlEntities[char]!);
}

/** Escapes a value for any attribute, quoted or not: every non-alphanumeric ASCII character becomes `&#xHH;`. */
export function escapeAttribute(value: unknown): string {
  return String(value ?? '').replace(
    /[^A-Za-z0-9\u0080-\uFFFF]/g,
    (char) => `&#x${char.charCodeAt(0).toString(16).toUpperCase()};`,
  );
}

/** Escapes a value inside a JavaScript string literal (either quote), including in a `<script>` block. */
export function escapeJsString(value: unknown): string {
  return String(value ?? '').replace(/[^A-Za-z0-9 ,._]/g, (char) => {
    const code = char.charCodeAt(0);
    return code < 256
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Percent-encodes one URL component (a query value, a path segment), `!'()*` included. */
export function escapeUrlComponent(value: unknown): string {
  return encodeURIComponent(String(value ?? '')).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const safeSchemes = /^(?:https?|mailto|tel):/i;

/**
 * A URL safe to put in href/src: http(s), mailto, tel and relative URLs pass; `javascript:`, `data:`,
 * `vbscript:` and the like (also hidden behind whitespace, control characters or entities) become `#`.
 */
export function safeUrl(value: unknown): string {
  const url = String(value ?? '').trim();
  // Browsers drop tabs and newlines inside a scheme and ignore leading controls (URL standard).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const normalized = url.replace(/[\u0000-\u0020]/g, '');
  const colon = normalized.indexOf(':');
  const boundary = normalized.search(/[/?#]/);
  const hasScheme = colon !== -1 && (boundary === -1 || colon < boundary);
  if (hasScheme && !safeSchemes.test(normalized)) return '#';
  if (/&|\\/.test(normalized.slice(0, hasScheme ? colon + 1 : 0))) return '#';
  return url;
}

const brand = Symbol.for('@plinth/security.SafeHtml');

/** HTML that is already safe: made by {@link html} or {@link trustedHtml}; inserted without escaping. */
export interface SafeHtml {
  readonly [brand]: true;
  toString(): string;
}

class SafeHtmlValue implements SafeHtml {
  readonly [brand] = true as const;
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  toString(): string {
    return this.#value;
  }
  toJSON(): string {
    return this.#value;
  }
}

/** Marks a string you produced (or sanitized) as safe HTML; never pass user input here. */
export function trustedHtml(value: string): SafeHtml {
  return new SafeHtmlValue(value);
}

function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

// An interpolation right after `href=` / `src=` (quoted or not) is a URL; right after `=` an unquoted
// attribute; inside an `on…=` value it is script. Each is tested on the literal just before the
// interpolation only, so a template costs linear time however long its output grows.
const urlAttribute = /\s(?:href|src|action|formaction|poster|cite|background|xlink:href)\s*=\s*["']?$/i;
const unquotedAttribute = /=\s*$/;
const handlerAttribute = /\son[a-z]+\s*=\s*(?:"[^"]*|'[^']*|[^\s>"']*)$/i;
const rawTextTag = /<(\/?)(script|style)\b[^>]*(>?)/gi;

/** The raw-text element (`script`, `style`) a literal leaves open, given the one open before it. */
function rawTextAfter(open: string | undefined, literal: string): string | undefined {
  let current = open;
  for (const match of literal.matchAll(rawTextTag)) {
    const name = match[2]!.toLowerCase();
    if (match[1] === '/') {
      if (current === name) current = undefined;
    } else if (current === undefined && match[3] === '>') current = name;
  }
  return current;
}

function interpolate(value: unknown, literal: string, rawText: string | undefined): string {
  if (value === null || value === undefined || value === false) return '';
  if (isSafeHtml(value)) return value.toString();
  if (Array.isArray(value)) return value.map((item) => interpolate(item, literal, rawText)).join('');
  if (rawText !== undefined || handlerAttribute.test(literal)) {
    throw new TypeError(
      'html`` refuses an interpolation inside an event handler, <script> or <style>: HTML escaping does not make it safe there. Pass data through a data-* attribute or a JSON <script type="application/json"> block, or build the code yourself with escapeJsString() and trustedHtml().',
    );
  }
  if (urlAttribute.test(literal)) {
    const url = safeUrl(value);
    return unquotedAttribute.test(literal) ? escapeAttribute(url) : escapeHtml(url);
  }
  return unquotedAttribute.test(literal) ? escapeAttribute(value) : escapeHtml(value);
}

/**
 * A tagged template that escapes every interpolation for where it stands: text and quoted
 * attributes (HTML-escaped), unquoted attributes (attribute-escaped), href/src (unsafe schemes
 * replaced by `#`). Arrays are joined; nested `html` results and {@link trustedHtml} pass unchanged.
 * An interpolation inside an event handler, `<script>` or `<style>` throws a TypeError.
 *
 * @example
 * const page = html`<a href="${user.site}">${user.name}</a><ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`;
 * return new Response(page.toString(), { headers: { 'content-type': 'text/html; charset=utf-8' } });
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  let rawText = rawTextAfter(undefined, out);
  for (let index = 0; index < values.length; index++) {
    const literal = strings[index]!;
    const next = strings[index + 1]!;
    out += interpolate(values[index], literal, rawText) + next;
    rawText = rawTextAfter(rawText, next);
  }
  return new SafeHtmlValue(out);
}
