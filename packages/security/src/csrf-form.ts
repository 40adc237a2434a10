// Helpers for putting the CSRF token where the fallback looks for it: a hidden form field (server-
// rendered forms) or a header read from the cookie (single-page apps).
import { html, type SafeHtml } from './escape.js';

/**
 * A hidden input carrying the token, for a server-rendered form.
 *
 * @example
 * html`<form method="post">${csrfField(ctx.state.security.csrfToken)}<button>Save</button></form>`;
 */
export function csrfField(token: string | undefined, fieldName = '_csrf'): SafeHtml {
  return html`<input type="hidden" name="${fieldName}" value="${token ?? ''}">`;
}

/**
 * For a single-page app: the token from `document.cookie` (the CSRF cookie is readable on purpose),
 * to send as the `x-csrf-token` header; undefined when absent.
 *
 * @example
 * fetch('/api/orders', { method: 'POST', headers: { 'x-csrf-token': readCsrfCookie(document.cookie) ?? '' } });
 */
export function readCsrfCookie(cookieHeader: string, cookieName = '__Host-csrf'): string | undefined {
  for (const part of cookieHeader.split(';')) {
    const equals = part.indexOf('=');
    if (equals !== -1 && part.slice(0, equals).trim() === cookieName) return part.slice(equals + 1).trim();
  }
  return undefined;
}
