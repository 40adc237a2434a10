// Content-Security-Policy: helmet's default directives, merged with yours, serialized once at start;
// with `nonce` on, the text is kept in pieces so each response only joins in its fresh nonce.
import { invalidOption } from './errors.js';

/** Directive name (camelCase or kebab-case) → sources; `true` for valueless ones, `false`/`null` to drop one. */
export type CspDirectives = Record<string, readonly string[] | string | boolean | null>;

/** Options of the `contentSecurityPolicy` header. */
export interface CspOptions {
  /** Your directives, merged over the defaults (unless `useDefaults: false`). */
  directives?: CspDirectives;
  /** Start from helmet's defaults (default true). */
  useDefaults?: boolean;
  /** Add `'nonce-…'` (fresh per response) to script-src and style-src. */
  nonce?: boolean;
  /** Send Content-Security-Policy-Report-Only instead. */
  reportOnly?: boolean;
}

/** helmet 8's defaults. */
export const defaultCspDirectives: CspDirectives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'font-src': ["'self'", 'https:', 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", 'https:', "'unsafe-inline'"],
  'upgrade-insecure-requests': true,
};

/** The compiled policy: the header name and its value, or the pieces a nonce joins. */
export interface CompiledCsp {
  readonly name: string;
  /** The value when no nonce is used. */
  readonly value: string | undefined;
  /** The pieces to join with the nonce (length ≥ 2) when `nonce` is on. */
  readonly pieces: readonly string[] | undefined;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
const nonceMark = '\u0000nonce\u0000';

function sourcesOf(name: string, value: readonly string[] | string): string[] {
  const sources = typeof value === 'string' ? [value] : [...value];
  for (const source of sources) {
    if (/[;,\r\n]/.test(source))
      invalidOption(`CSP source ${JSON.stringify(source)} of ${name} contains ; , or a newline.`);
    if (
      /^(self|none|unsafe-inline|unsafe-eval|strict-dynamic|report-sample|unsafe-hashes|wasm-unsafe-eval)$/.test(
        source,
      )
    ) {
      invalidOption(`CSP source ${source} of ${name} must be quoted: "'${source}'".`);
    }
  }
  return sources;
}

/** Compiles the CSP once: validates names and sources, merges defaults, places the nonce. */
export function compileCsp(options: CspOptions = {}): CompiledCsp {
  const merged: Record<string, readonly string[] | string | boolean | null> = {};
  if (options.useDefaults ?? true) Object.assign(merged, defaultCspDirectives);
  for (const [name, value] of Object.entries(options.directives ?? {})) {
    const directive = kebab(name);
    if (!/^[a-z-]+$/.test(directive))
      invalidOption(`CSP directive ${JSON.stringify(name)} is not a directive name.`);
    merged[directive] = value;
  }
  if (options.nonce) {
    for (const directive of ['script-src', 'style-src']) {
      const current = merged[directive] ?? merged['default-src'] ?? ["'self'"];
      const sources = sourcesOf(directive, current as readonly string[] | string).filter(
        // 'unsafe-inline' is ignored by browsers once a nonce is present; drop it so the policy says what it does.
        (source) => source !== "'unsafe-inline'",
      );
      merged[directive] = [...sources, `'nonce-${nonceMark}'`];
    }
  }
  const parts: string[] = [];
  for (const [directive, value] of Object.entries(merged)) {
    if (value === false || value === null || value === undefined) continue;
    if (value === true) parts.push(directive);
    else
      parts.push(
        `${directive} ${sourcesOf(directive, value as readonly string[] | string).join(' ')}`.trim(),
      );
  }
  if (parts.length === 0)
    invalidOption(
      'The Content-Security-Policy has no directives; give some or set contentSecurityPolicy: false.',
    );
  const text = parts.join('; ');
  const name = options.reportOnly ? 'content-security-policy-report-only' : 'content-security-policy';
  return options.nonce
    ? { name, value: undefined, pieces: text.split(nonceMark) }
    : { name, value: text, pieces: undefined };
}
