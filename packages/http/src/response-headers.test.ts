import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fastState, json, text } from './response.js';

type Step = [member: 'get' | 'has' | 'set' | 'append' | 'delete' | 'getSetCookie', ...args: string[]];

/** Runs the same steps on a helper's response.headers and on a real Headers; returns both observations. */
function both(init: Record<string, string>, steps: Step[]) {
  const observe = (headers: Headers) =>
    steps.map(([member, ...args]) => {
      try {
        const value = (headers[member] as (...a: string[]) => unknown).apply(headers, args);
        return { value, entries: [...headers], setCookie: headers.getSetCookie() };
      } catch (error) {
        return { error: (error as Error).constructor.name };
      }
    });
  const view = text('x', { headers: init }).headers;
  const real = new Headers({ 'content-type': 'text/plain; charset=utf-8', ...init });
  return { view: observe(view), real: observe(real) };
}

describe('response.headers of a helper-made Response', () => {
  it('is one Headers for the life of the response', () => {
    const response = json({ a: 1 });
    expect(response.headers).toBeInstanceOf(Headers);
    expect(response.headers).toBe(response.headers);
    expect(Object.prototype.toString.call(response.headers)).toBe('[object Headers]');
  });

  it.each<[string, Record<string, string>, Step[]]>([
    [
      'get and has, any case',
      { 'X-Id': '7' },
      [
        ['get', 'x-id'],
        ['get', 'X-ID'],
        ['has', 'X-Id'],
        ['get', 'absent'],
      ],
    ],
    [
      'set overwrites, append joins',
      {},
      [
        ['set', 'X-A', '1'],
        ['append', 'x-a', '2'],
        ['set', 'x-b', '3'],
      ],
    ],
    [
      'Set-Cookie kept apart',
      {},
      [
        ['append', 'Set-Cookie', 'a=1'],
        ['append', 'set-cookie', 'b=2'],
        ['getSetCookie'],
        ['get', 'set-cookie'],
      ],
    ],
    [
      'delete',
      { 'x-a': '1' },
      [
        ['delete', 'X-A'],
        ['has', 'x-a'],
        ['delete', 'x-none'],
      ],
    ],
    [
      'values Headers normalises',
      {},
      [
        ['set', 'x-a', '  padded\t'],
        ['get', 'x-a'],
        ['append', 'x-b', ''],
      ],
    ],
    [
      'values Headers refuses',
      {},
      [
        ['set', 'x-a', 'a\r\nb'],
        ['set', 'x-a', 'é'],
        ['set', 'x-a', '\u0100'],
      ],
    ],
    [
      'names Headers refuses',
      {},
      [
        ['set', 'x a', '1'],
        ['get', 'x:a'],
        ['append', '', '1'],
      ],
    ],
    ['init fields Headers would normalise', { 'x-a': ' 1 ' }, [['get', 'x-a']]],
  ])('behaves as a real Headers: %s', (_name, init, steps) => {
    const { view, real } = both(init, steps);
    expect(view).toEqual(real);
  });

  it('keeps a plain record for set, append and Set-Cookie, which the node adapter writes as it is', () => {
    const response = json({ a: 1 });
    response.headers.set('x-request-id', 'r-1');
    response.headers.append('set-cookie', 'a=1; Path=/');
    response.headers.append('set-cookie', 'b=2; Path=/');
    expect(fastState(response)?.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': 'r-1',
      'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
    });
  });

  it('iterates, copies and realizes with every field, each Set-Cookie apart', async () => {
    const response = json({ a: 1 });
    response.headers.append('set-cookie', 'a=1');
    response.headers.append('set-cookie', 'b=2');
    response.headers.set('x-a', '1');
    expect(new Headers(response.headers).getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(new Response('x', response).headers.get('x-a')).toBe('1');
    const copy = response.clone();
    expect(copy.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ a: 1 });
    // After realization the same view answers from the real Response.
    response.headers.set('x-after', 'yes');
    expect(response.headers.get('x-after')).toBe('yes');
    expect([...response.headers].map(([name]) => name)).toEqual(
      ['content-type', 'set-cookie', 'set-cookie', 'x-after', 'x-a'].sort(),
    );
  });

  it('shows its fields in util.inspect', () => {
    const response = json(null);
    response.headers.set('x-a', '1');
    expect(inspect(response.headers)).toContain("'x-a': '1'");
    expect(fastState(response)?.headers).not.toBeInstanceOf(Headers);
  });
});
