import { describe, expect, it } from 'vitest';
import vectors from '../test/vectors/router.json' with { type: 'json' };
import { HttpError } from './errors.js';
import { createRouter, type RouterOptions } from './router.js';

function build(routes: string[], options?: RouterOptions) {
  const router = createRouter<string>(options);
  for (const route of routes) {
    const space = route.indexOf(' ');
    router.add(route.slice(0, space), route.slice(space + 1), route);
  }
  return router;
}

describe('router vectors: matching', () => {
  for (const group of vectors.matching) {
    describe(group.name, () => {
      const router = build(group.routes, (group as { options?: RouterOptions }).options);
      for (const request of group.requests as Array<{
        method: string;
        path: string;
        route?: string | null;
        params?: Record<string, string>;
        status?: number;
      }>) {
        it(`${request.method} ${request.path} → ${request.status ?? request.route ?? 'no route'}`, () => {
          if (request.status !== undefined) {
            let thrown: unknown;
            try {
              router.find(request.method, request.path);
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(HttpError);
            expect((thrown as HttpError).status).toBe(request.status);
            expect((thrown as HttpError).code).toBe('MALFORMED_URL');
            return;
          }
          const match = router.find(request.method, request.path);
          if (request.route === null) {
            expect(match).toBeNull();
            return;
          }
          expect(match?.pattern).toBe(request.route);
          expect(match?.params).toEqual(request.params);
        });
      }
    });
  }
});

describe('router vectors: allowed methods', () => {
  for (const group of vectors.allowed) {
    const router = build(group.routes);
    for (const { path, allowed } of group.paths) {
      it(`${group.name}: ${path} allows ${allowed.join(', ') || 'nothing'}`, () => {
        expect(router.allowedMethods(path)).toEqual(allowed);
      });
    }
  }
});

describe('router vectors: rejected at registration', () => {
  for (const group of vectors.rejected) {
    it(`rejects ${group.name}`, () => {
      let thrown: unknown;
      try {
        build(group.routes, (group as { options?: RouterOptions }).options);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(HttpError);
      expect((thrown as HttpError).code).toBe(group.code);
      expect((thrown as HttpError).message).toContain(group.message);
    });
  }
});

describe('router', () => {
  it('matches a ~200-route GitHub-like table without mixing up neighbours', () => {
    const router = createRouter<number>();
    for (let index = 0; index < 200; index++) router.add('GET', `/r${index}/:a/x${index}/:b`, index);
    for (let index = 0; index < 200; index += 17) {
      expect(router.find('GET', `/r${index}/1/x${index}/2`)).toEqual({
        value: index,
        params: { a: '1', b: '2' },
        pattern: `/r${index}/:a/x${index}/:b`,
      });
    }
  });

  it('answers adversarial paths in linear time without regular expressions', () => {
    const router = createRouter<string>();
    router.add('GET', '/:a-:b-:c/x', 'r');
    const path = `/${'-'.repeat(50_000)}`;
    expect(router.find('GET', path)).toBeNull();
  });
});
