/**
 * Serving the document: `serveOpenApi(app, { path: '/docs' })` adds, before the app starts,
 * `GET /docs/openapi.json`, `GET /docs/openapi.yaml` and `GET /docs` (a Swagger UI page whose
 * script and styles come from the `swagger-ui-dist` package itself, under `/docs/…`: no CDN, and
 * no inline script, so a strict Content-Security-Policy holds). The document is built on the
 * first request, when every route (DI controllers included) is registered, and kept.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Context } from '@armature/core';
import { stringify } from 'yaml';
import { appOf, createDocument, type DocumentOptions, type DocumentSource, type RouteTableSource } from './document.js';
import type { OpenApiDocument } from './spec.js';

export interface ServeOptions extends DocumentOptions {
  /** Where: the page at `path`, the document at `path/openapi.json` and `path/openapi.yaml`. Default `/docs`. */
  path?: string;
  /** Serve the Swagger UI page (default true); false serves the document only. */
  ui?: boolean;
  /** Change the generated document before it is served (add servers, webhooks, …). */
  transform?: (document: OpenApiDocument) => OpenApiDocument | void;
}

/** Files of swagger-ui-dist the page loads, and their media types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

let assetDir: string | null = null;
function swaggerUiDir(): string {
  return (assetDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')));
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page: Swagger UI's styles and bundle from `base`, started by `base/swagger-ui-init.js`. */
function page(base: string, title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(base)}/swagger-ui.css">
<link rel="icon" type="image/png" href="${escapeHtml(base)}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${escapeHtml(base)}/swagger-ui-bundle.js"></script>
<script src="${escapeHtml(base)}/swagger-ui-init.js"></script>
</body>
</html>
`;
}

function init(base: string): string {
  return `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(`${base}/openapi.json`)}, dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout' });\n`;
}

const HIDDEN = { openapi: { hidden: true } };

/**
 * Serves the app's OpenAPI document as JSON and YAML, and a Swagger UI page, under `options.path`
 * (default `/docs`). Call it before the app starts (before `listen()`, `inject()`…); for a DI
 * app, after `Armature.create()`. Returns the path.
 */
export function serveOpenApi(source: DocumentSource, options: ServeOptions = {}): string {
  const app = appOf(source) as RouteTableSource & { get(path: string, options: object, handler: (ctx: Context) => unknown): unknown };
  const raw = options.path ?? '/docs';
  if (typeof raw !== 'string' || raw.charCodeAt(0) !== 47) throw new TypeError(`serveOpenApi(): path must start with "/", got ${String(raw)}`);
  const base = raw.replace(/\/+$/, '');
  const { path: _p, ui: _u, transform, ...documentOptions } = options;
  let json: string | null = null;
  let yaml: string | null = null;
  const document = (): OpenApiDocument => {
    const doc = createDocument(app, documentOptions);
    return transform?.(doc) ?? doc;
  };
  const answer = (ctx: Context, type: string, body: string | Uint8Array, cache: string): string | Uint8Array => {
    ctx.set('Content-Type', type);
    ctx.set('Cache-Control', cache);
    return body;
  };
  app.get(`${base}/openapi.json`, { meta: HIDDEN }, (ctx) => answer(ctx, 'application/json; charset=utf-8', (json ??= JSON.stringify(document())), 'no-cache'));
  app.get(`${base}/openapi.yaml`, { meta: HIDDEN }, (ctx) => answer(ctx, 'application/yaml; charset=utf-8', (yaml ??= stringify(document(), { aliasDuplicateObjects: false })), 'no-cache'));
  if (options.ui === false) return base || '/';

  const title = options.info?.title ?? 'API';
  const html = page(base, title);
  app.get(base === '' ? '/' : base, { meta: HIDDEN }, (ctx) => answer(ctx, 'text/html; charset=utf-8', html, 'no-cache'));
  const script = init(base);
  app.get(`${base}/swagger-ui-init.js`, { meta: HIDDEN }, (ctx) => answer(ctx, 'text/javascript; charset=utf-8', script, 'no-cache'));
  const files = new Map<string, Promise<Buffer>>();
  for (const [name, type] of Object.entries(ASSETS)) {
    app.get(`${base}/${name}`, { meta: HIDDEN }, async (ctx) => {
      let file = files.get(name);
      if (file === undefined) {
        file = readFile(join(swaggerUiDir(), name));
        files.set(name, file);
        file.catch(() => files.delete(name));
      }
      return answer(ctx, type, await file, 'public, max-age=86400');
    });
  }
  return base || '/';
}
