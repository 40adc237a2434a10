// Definitions satisfy the SEAMS §H route shapes as another package declares them (hand-written copy).
import { describe, expectTypeOf, it } from 'vitest';
import type { api } from './support/api.js';

interface StandardSchemaV1 {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => unknown;
  };
}
interface RouteSchema {
  params?: StandardSchemaV1;
  querystring?: StandardSchemaV1;
  headers?: StandardSchemaV1;
  body?: StandardSchemaV1;
  response?: Record<
    string | number,
    StandardSchemaV1 | { description?: string; contentType?: string; schema?: StandardSchemaV1 }
  >;
}
interface RouteMeta {
  schema?: RouteSchema;
  summary?: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  deprecated?: boolean;
  security?: Array<Record<string, string[]>>;
}
interface RouteInfo {
  method: string;
  path: string;
  meta: RouteMeta | Readonly<Record<string, unknown>>;
}
type RouteSource = Iterable<RouteInfo> | { readonly routes: Iterable<RouteInfo> };

describe('definitions as a route source', () => {
  it('is a list of RouteInfo with RouteMeta', () => {
    expectTypeOf<(typeof api)[number]>().toExtend<RouteInfo>();
    expectTypeOf<(typeof api)[number]['meta']>().toExtend<RouteMeta>();
    expectTypeOf<typeof api>().toExtend<RouteSource>();
  });
});
