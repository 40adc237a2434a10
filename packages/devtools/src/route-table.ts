// The route table a development server prints at start: method, path, operation summary.
import { metaOf, type RouteSource, readRoutes } from './route-source.js';

/**
 * The routes as an aligned text table, one line per route, for printing at start.
 *
 * @example
 * console.log(formatRouteTable(app));
 * // GET     /users/:id   One user
 */
export function formatRouteTable(source: RouteSource): string {
  const rows = readRoutes(source).map((route) => {
    const meta = metaOf(route);
    const note = [meta.summary, meta.hide === true ? '(hidden)' : undefined].filter(Boolean).join(' ');
    return [String(route.method).toUpperCase(), route.path, note] as const;
  });
  if (rows.length === 0) return '(no routes)';
  const methodWidth = Math.max(6, ...rows.map((row) => row[0].length));
  const pathWidth = Math.max(4, ...rows.map((row) => row[1].length));
  const lines = [
    `${'METHOD'.padEnd(methodWidth)}  ${'PATH'.padEnd(pathWidth)}  SUMMARY`,
    ...rows.map(([method, path, note]) =>
      `${method.padEnd(methodWidth)}  ${path.padEnd(pathWidth)}  ${note}`.trimEnd(),
    ),
  ];
  return lines.join('\n');
}
