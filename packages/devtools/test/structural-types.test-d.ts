// The seams at the type level: a @plinth/http app is a RouteSource, its middleware stack takes ours,
// and a hand-written object of the SEAMS §H shape is a RouteSource with no @plinth import.
import { type App, createApp } from '@plinth/http';
import { describe, expectTypeOf, it } from 'vitest';
import {
  devErrorPage,
  openApi,
  type RouteInfo,
  type RouteSource,
  serverTiming,
  timed,
} from '../src/index.js';

describe('structural seams', () => {
  it('a @plinth/http app and its routes are RouteSources', () => {
    expectTypeOf<App>().toExtend<RouteSource>();
    expectTypeOf<App['routes']>().toExtend<RouteSource>();
  });

  it('@plinth/http accepts the fetch-style middleware', () => {
    const app = createApp<{ userId?: string }>();
    app.use(serverTiming(), devErrorPage(), openApi({ source: app }));
    app.use(timed('auth', async (ctx, next) => (ctx.state.userId === undefined ? next() : next())));
  });

  it('a hand-written route list is a RouteSource', () => {
    const routes = [{ method: 'GET', path: '/a', meta: { summary: 'A', tags: ['x'] } }] satisfies RouteInfo[];
    expectTypeOf(routes).toExtend<RouteSource>();
    expectTypeOf({ routes }).toExtend<RouteSource>();
  });
});
