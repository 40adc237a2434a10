// The framework-free core of serving the document and the docs page: (method, path) → Response,
// shared by the fetch middleware and the Express and Fastify adapters.
import { DOCS_CSP, docsAsset, docsAssetVersion, renderDocsPage } from './docs-page.js';
import { DevtoolsError } from './errors.js';
import { generateOpenApi, type OpenApiDocument, type OpenApiOptions } from './openapi.js';
import type { RouteSource } from './route-source.js';

/** Options of the `/openapi.json` and `/docs` endpoints (every adapter takes these). */
export interface OpenApiEndpointsOptions extends OpenApiOptions {
  /** The routes to describe (generated on the first request, so routes added after setup count). */
  source?: RouteSource;
  /** A ready document instead of `source`, e.g. the committed openapi.json. */
  document?: OpenApiDocument;
  /** Where the document is served; `/openapi.json` by default. */
  path?: string;
  /** Where the docs page is served; `/docs` by default, `false` for none. */
  docsPath?: string | false;
  /** The page title; the document's `info.title` by default. */
  docsTitle?: string;
  /** Open operations in "try it out" mode at once; `false` by default. */
  tryItOut?: boolean;
}

/** Internal: answers the endpoints; `prefix` is where a host mounted us (Express `req.baseUrl`). */
export type OpenApiResponder = (method: string, path: string, prefix?: string) => Response | undefined;

/** Internal: the responder of {@link OpenApiEndpointsOptions}, validated at creation. */
export function createOpenApiResponder(options: OpenApiEndpointsOptions): OpenApiResponder {
  const { source, path = '/openapi.json', docsPath = '/docs' } = options;
  if ((source === undefined) === (options.document === undefined)) {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_INVALID_OPTION',
      'Pass exactly one of `source` (your routes) or `document`.',
    );
  }
  for (const [name, value] of [
    ['path', path],
    ['docsPath', docsPath],
  ] as const) {
    if (value !== false && (typeof value !== 'string' || !value.startsWith('/') || value.endsWith('/'))) {
      throw new DevtoolsError(
        'ERR_DEVTOOLS_INVALID_OPTION',
        `${name} must start with "/" and not end with one, got ${JSON.stringify(value)}.`,
      );
    }
  }
  let body: string | undefined;
  let document = options.document;
  const documentJson = () => {
    document ??= generateOpenApi(source!, options);
    body ??= JSON.stringify(document);
    return body;
  };
  const assetsPrefix = docsPath === false ? undefined : `${docsPath}/assets/${docsAssetVersion()}/`;
  return (method, requestPath, prefix = '') => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (requestPath === path) {
      return new Response(method === 'HEAD' ? null : documentJson(), {
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' },
      });
    }
    if (docsPath === false) return undefined;
    if (requestPath === docsPath || requestPath === `${docsPath}/`) {
      documentJson(); // fail here, not inside the page, when the routes cannot be described
      const html = renderDocsPage({
        title: options.docsTitle ?? document!.info.title,
        openapiUrl: prefix + path,
        assetsUrl: prefix + assetsPrefix!.slice(0, -1),
        tryItOut: options.tryItOut === true,
      });
      return new Response(method === 'HEAD' ? null : html, {
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': DOCS_CSP,
          'cache-control': 'no-cache',
        },
      });
    }
    if (!requestPath.startsWith(assetsPrefix!)) return undefined;
    const asset = docsAsset(requestPath.slice(assetsPrefix!.length));
    if (asset === undefined) return undefined;
    return new Response(method === 'HEAD' ? null : (asset.body as Uint8Array<ArrayBuffer>), {
      headers: {
        'content-type': asset.contentType,
        'content-length': String(asset.body.byteLength),
        // The URL carries swagger-ui-dist's version: a new version is a new URL.
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      },
    });
  };
}
