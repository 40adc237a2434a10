// The full pattern of the Express route that answered a request: the mount paths of the routers it sits
// in, joined with its own path. `req.baseUrl + req.route.path` is not enough: Express restores `baseUrl`
// (to '' or undefined) as an error leaves each router, while `req.route` stays the route that threw, so a
// failed `/notes/:id` would log `/:id`; and `baseUrl` holds the mount path's values (`/users/42/notes`),
// not its pattern. So the app's router stack is walked once per route object first seen, structurally
// (no import of express), and the pattern remembered by route object.

/** The parts of an Express 5 (router 2) layer read here. */
interface RouterLayer {
  route?: unknown;
  handle?: { stack?: unknown };
  rawPath?: unknown;
}

/** The parts of an Express request read here. */
export interface RoutedRequest {
  route?: unknown;
  baseUrl?: string | undefined;
  app?: unknown;
}

// Route object → its full pattern, or null when it cannot be told (not found under the app's router, found
// at two different mount paths, a RegExp or array path): then `baseUrl` is the best there is.
const patterns = new WeakMap<object, string | null>();

/**
 * The route pattern a request matched, mount paths included (`/notes` for a router's '/' mounted at
 * `/notes`, `/api/v1/items/:id` for nested routers), even after an error left the routers; `undefined`
 * when no route matched.
 */
export function mountedRoute(req: RoutedRequest): string | undefined {
  const route = req.route as { path?: unknown } | undefined;
  if (route === undefined || route === null) return undefined;
  let pattern = patterns.get(route);
  if (pattern === undefined) {
    learnRoutes(rootRouterOf(req.app));
    pattern = patterns.get(route);
    if (pattern === undefined) {
      pattern = null;
      patterns.set(route, null);
    }
  }
  // Express leaves baseUrl undefined once an error has left the app's router.
  return pattern ?? joinPath(req.baseUrl ?? '', String(route.path));
}

/** `prefix` + `path` as a route is named: no doubled or trailing slash (`/notes` + `/` is `/notes`). */
export function joinPath(prefix: string, path: string): string {
  const base = prefix.replace(/\/+$/, '');
  if (base === '') return path;
  return path === '/' ? base : base + path;
}

// The top app's router: a mounted sub-app's routes are reached through their own app (req.app while it
// runs), whose `parent` is the app it is mounted on.
function rootRouterOf(app: unknown): unknown {
  let current = app as { parent?: unknown; router?: unknown } | undefined;
  while (current?.parent !== undefined && current.parent !== null) {
    current = current.parent as { parent?: unknown; router?: unknown };
  }
  return current?.router;
}

function learnRoutes(router: unknown): void {
  const found = new Map<object, string | null>();
  walk((router as { stack?: unknown } | undefined)?.stack, '', found, 0);
  for (const [route, pattern] of found) {
    const known = patterns.get(route);
    patterns.set(route, known === undefined || known === pattern ? pattern : null);
  }
}

function walk(stack: unknown, prefix: string, found: Map<object, string | null>, depth: number): void {
  if (!Array.isArray(stack) || depth > 32) return;
  for (const layer of stack as RouterLayer[]) {
    const route = layer.route as { path?: unknown } | undefined;
    if (route !== undefined && route !== null) {
      const pattern = typeof route.path === 'string' ? joinPath(prefix, route.path) : null;
      const known = found.get(route);
      found.set(route, known === undefined || known === pattern ? pattern : null);
    } else if (typeof layer.rawPath === 'string' && Array.isArray(layer.handle?.stack)) {
      walk(layer.handle.stack, joinPath(prefix, layer.rawPath), found, depth + 1);
    }
  }
}
