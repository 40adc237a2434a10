// The development error page: an HTML page with the error, its stack and cause chain and the request,
// for 5xx errors a browser asked for. It never renders when NODE_ENV is "production".
import { escapeHtml } from './docs-page.js';
import { isSecretName } from './redaction.js';

/** The request details the error page shows. */
export interface ErrorPageRequest {
  readonly method: string;
  /** The path and query, or the full URL. */
  readonly url: string;
  readonly headers: Iterable<readonly [string, string]>;
  /** The matched route pattern, if known. */
  readonly route?: string | undefined;
}

/** Whether the process runs in production: `NODE_ENV === 'production'`, read at every call. */
export function isProduction(): boolean {
  return globalThis.process?.env?.NODE_ENV === 'production';
}

/** The status an error answers with (SEAMS §B): its `status` / `statusCode` in 400..599, else 500. */
export function statusOf(error: unknown): number {
  if (error !== null && typeof error === 'object') {
    const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
    const value = Number.isInteger(status) ? status : statusCode;
    if (Number.isInteger(value) && (value as number) >= 400 && (value as number) <= 599)
      return value as number;
  }
  return 500;
}

/**
 * Whether the error page answers this error: not in production, a server error (4xx errors keep their
 * problem+json answer), and a client that accepts HTML (a browser, not `fetch` or curl).
 */
export function showsErrorPage(error: unknown, accept: string | undefined): boolean {
  return !isProduction() && statusOf(error) >= 500 && accept?.includes('text/html') === true;
}

/** The HTML of the development error page. */
export function renderErrorPage(error: unknown, request: ErrorPageRequest): string {
  const status = statusOf(error);
  const chain: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    chain.push(describe(current, depth));
    current = (current as { cause?: unknown }).cause;
  }
  const headers = [...request.headers]
    .map(
      ([name, value]) =>
        `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(isSecretName(name) ? '[redacted]' : value)}</td></tr>`,
    )
    .join('');
  const first = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${status} ${escapeHtml(first)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#222}h1{color:#b00020;font-size:1.4rem}pre{background:#f6f6f6;padding:1rem;overflow:auto}th{text-align:left;padding-right:1rem;vertical-align:top}.note{color:#666}</style>
</head>
<body>
<h1>${status} ${escapeHtml(first)}</h1>
<p class="note">Development error page from @plinth/devtools. It never renders when NODE_ENV=production.</p>
${chain.join('\n')}
<h2>Request</h2>
<table>
<tr><th>method</th><td>${escapeHtml(request.method)}</td></tr>
<tr><th>url</th><td>${escapeHtml(request.url)}</td></tr>
${request.route === undefined ? '' : `<tr><th>route</th><td>${escapeHtml(request.route)}</td></tr>`}
</table>
<h2>Headers</h2>
<table>${headers}</table>
</body>
</html>
`;
}

function describe(error: unknown, depth: number): string {
  const heading = depth === 0 ? 'Stack' : 'Caused by';
  if (!(error instanceof Error)) return `<h2>${heading}</h2><pre>${escapeHtml(String(error))}</pre>`;
  const code = (error as { code?: unknown }).code;
  const codeLine = typeof code === 'string' ? ` <code>${escapeHtml(code)}</code>` : '';
  return `<h2>${heading}${codeLine}</h2><pre>${escapeHtml(error.stack ?? `${error.name}: ${error.message}`)}</pre>`;
}
