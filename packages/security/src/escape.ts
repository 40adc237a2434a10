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

// An interpolation right after `href=` / `src=` (quoted or not) is a URL; right after `=` an unquoted attribute.
const urlAttribute = /\s(?:href|src|action|formaction|poster|cite|background|xlink:href)\s*=\s*["']?$/i;
const unquotedAttribute = /=\s*$/;

function interpolate(value: unknown, before: string): string {
  if (value === null || value === undefined || value === false) return '';
  if (isSafeHtml(value)) return value.toString();
  if (Array.isArray(value)) return value.map((item) => interpolate(item, before)).join('');
  if (urlAttribute.test(before)) {
    const url = safeUrl(value);
    return unquotedAttribute.test(before) ? escapeAttribute(url) : escapeHtml(url);
  }
  return unquotedAttribute.test(before) ? escapeAttribute(value) : escapeHtml(value);
}

/**
 * A tagged template that escapes every interpolation for where it stands: text and quoted
 * attributes (HTML-escaped), unquoted attributes (attribute-escaped), href/src (unsafe schemes
 * replaced by `#`). Arrays are joined; nested `html` results and {@link trustedHtml} pass unchanged.
 *
 * @example
 * const page = html`<a href="${user.site}">${user.name}</a><ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`;
 * return new Response(page.toString(), { headers: { 'content-type': 'text/html; charset=utf-8' } });
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let index = 0; index < values.length; index++) {
    out += interpolate(values[index], out) + strings[index + 1]!;
  }
  return new SafeHtmlValue(out);
}
