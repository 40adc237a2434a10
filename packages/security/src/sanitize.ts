// @plinth/security/sanitize: untrusted HTML cleaned by sanitize-html (an optional peer; the package
// never hand-writes a sanitizer), with a strict default allow-list.
export { type SanitizeOptions, sanitizeHtml } from './sanitize-html.js';
