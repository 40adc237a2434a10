import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { setFixedHeaders } from './node-headers.js';

const response = () => new ServerResponse(new IncomingMessage(new Socket()));
const fixed = [
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-content-type-options', 'nosniff'],
] as const;

describe('setFixedHeaders', () => {
  it('sets headers node reads back and writes in the head', () => {
    const res = response();
    setFixedHeaders(res, fixed);
    res.setHeader('content-type', 'text/plain');
    expect(res.getHeader('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.getHeaderNames()).toEqual(['x-frame-options', 'x-content-type-options', 'content-type']);
    (res as unknown as { _implicitHeader(): void })._implicitHeader();
    const head = (res as unknown as { _header: string })._header;
    expect(head).toContain('\r\nx-frame-options: SAMEORIGIN\r\n');
    expect(head).toContain('\r\nx-content-type-options: nosniff\r\n');
  });

  it('replaces an earlier value and keeps other headers', () => {
    const res = response();
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-other', '1');
    setFixedHeaders(res, fixed);
    expect(res.getHeader('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.getHeader('x-other')).toBe('1');
  });

  it('an appendHeader on one response does not leak into the next', () => {
    const first = response();
    setFixedHeaders(first, fixed);
    first.appendHeader('x-content-type-options', 'other');
    const second = response();
    setFixedHeaders(second, fixed);
    expect(second.getHeader('x-content-type-options')).toBe('nosniff');
  });

  it('keeps headers set before it in order, and node reads the table as its own', () => {
    const res = response();
    res.setHeader('x-before', '1');
    setFixedHeaders(res, fixed);
    res.setHeader('x-after', '2');
    expect(res.getHeaderNames()).toEqual([
      'x-before',
      'x-frame-options',
      'x-content-type-options',
      'x-after',
    ]);
    expect(res.getHeaders()).toEqual({
      'x-before': '1',
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'x-after': '2',
    });
    res.removeHeader('x-frame-options');
    expect(res.hasHeader('x-frame-options')).toBe(false);
    (res as unknown as { _implicitHeader(): void })._implicitHeader();
    const head = (res as unknown as { _header: string })._header;
    expect(head).toMatch(/\r\nx-before: 1\r\nx-content-type-options: nosniff\r\nx-after: 2\r\n/);
  });

  it('on a response with no header yet, node reads the table it makes as its own', () => {
    const res = response();
    setFixedHeaders(res, fixed);
    res.setHeader('x-after', '2');
    expect(res.getHeaders()).toEqual({
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'x-after': '2',
    });
    res.removeHeader('x-frame-options');
    expect(res.getHeaderNames()).toEqual(['x-content-type-options', 'x-after']);
    // No inherited names: a lookup of an Object.prototype member finds nothing.
    expect(res.hasHeader('constructor')).toBe(false);
    expect(res.getHeader('toString')).toBeUndefined();
  });
});
