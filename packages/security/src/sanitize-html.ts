// Sanitizing untrusted HTML (rich-text comments, imported content) with sanitize-html, the
// well-kept parser-based sanitizer that runs on node without a DOM. Defaults are stricter than its own.
import sanitize from 'sanitize-html';
import { type SafeHtml, trustedHtml } from './escape.js';

/** sanitize-html's options; ours replace its defaults only where given. */
export type SanitizeOptions = sanitize.IOptions;

const defaults: sanitize.IOptions = {
  allowedTags: [
    'a',
    'b',
    'blockquote',
    'br',
    'code',
    'em',
    'h1',
    'h2',
    'h3',
    'h4',
    'hr',
    'i',
    'li',
    'ol',
    'p',
    'pre',
    's',
    'strong',
    'sub',
    'sup',
    'table',
    'tbody',
    'td',
    'th',
    'thead',
    'tr',
    'u',
    'ul',
    'img',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Links to other sites open without handing them window.opener.
  transformTags: { a: sanitize.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};

/**
 * Cleans untrusted HTML: scripts, event handlers, `javascript:` URLs, styles and unknown tags go.
 * The result is {@link SafeHtml}, so the `html` template inserts it as is.
 *
 * @example
 * import { sanitizeHtml } from '@plinth/security/sanitize';
 * const body = html`<article>${sanitizeHtml(comment.body)}</article>`;
 */
export function sanitizeHtml(dirty: string, options: SanitizeOptions = {}): SafeHtml {
  return trustedHtml(sanitize(String(dirty ?? ''), { ...defaults, ...options }));
}
