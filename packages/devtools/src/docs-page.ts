// The /docs page: Swagger UI from the installed swagger-ui-dist package (no CDN, works offline),
// its assets served by our own routes so a strict Content-Security-Policy holds.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DevtoolsError } from './errors.js';

/** One static file of the docs page. */
export interface DocsAsset {
  readonly body: Uint8Array;
  readonly contentType: string;
}

const ASSET_TYPES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// Runs in the page: reads the document's URL from the markup, so no inline script is needed (CSP).
const INIT_SCRIPT = `"use strict";
(function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-openapi-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    layout: 'BaseLayout',
    presets: [SwaggerUIBundle.presets.apis],
    validatorUrl: null,
    tryItOutEnabled: root.getAttribute('data-try-it') === 'true'
  });
})();
`;

/** The Content-Security-Policy of the docs page: everything from our own origin, styles inline (Swagger UI sets style attributes). */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

let folder: string | undefined;
let version: string | undefined;
const cache = new Map<string, DocsAsset>();

function swaggerFolder(): string {
  if (folder === undefined) {
    try {
      const manifest = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json');
      folder = dirname(manifest);
      version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    } catch (cause) {
      throw new DevtoolsError(
        'ERR_DEVTOOLS_DOCS_ASSETS_MISSING',
        'The docs page needs the swagger-ui-dist package, a dependency of @plinth/devtools; reinstall (pnpm install) so it is present.',
        { cause },
      );
    }
  }
  return folder;
}

/** The version of swagger-ui-dist, part of every asset URL so they can be cached for good. */
export function docsAssetVersion(): string {
  swaggerFolder();
  return version!;
}

/** A static asset of the docs page by file name, read once; undefined for an unknown name. */
export function docsAsset(name: string): DocsAsset | undefined {
  if (name === 'init.js') {
    return { body: new TextEncoder().encode(INIT_SCRIPT), contentType: 'text/javascript; charset=utf-8' };
  }
  const contentType = ASSET_TYPES[name];
  if (contentType === undefined) return undefined;
  let asset = cache.get(name);
  if (asset === undefined) {
    asset = { body: readFileSync(join(swaggerFolder(), name)), contentType };
    cache.set(name, asset);
  }
  return asset;
}

/** What the page needs to know. */
export interface DocsPageInput {
  readonly title: string;
  /** The document's URL, e.g. `/openapi.json`. */
  readonly openapiUrl: string;
  /** Where the assets are served, e.g. `/docs/assets/5.35.0`. */
  readonly assetsUrl: string;
  /** Open every operation in "try it out" mode. */
  readonly tryItOut: boolean;
}

/** The HTML of the docs page. */
export function renderDocsPage(input: DocsPageInput): string {
  const title = escapeHtml(input.title);
  const assets = escapeHtml(input.assetsUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="${assets}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="${escapeHtml(input.openapiUrl)}" data-try-it="${input.tryItOut}"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script src="${assets}/init.js"></script>
</body>
</html>
`;
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
