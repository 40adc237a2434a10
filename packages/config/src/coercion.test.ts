import { describe, expect, it } from 'vitest';
import { coerceValue } from './coercion.js';

describe('coerceValue', () => {
  it.each([
    ['1', 1],
    ['-2.5', -2.5],
    [' 42 ', 42],
    ['1e3', 1000],
    ['.5', 0.5],
  ])('reads the number %j', (text, value) => {
    expect(coerceValue('number', text)).toEqual({ ok: true, value });
  });

  it.each(['abc', '', '0x10', 'Infinity', '1,5', '12px', 'NaN'])('rejects %j as a number', (text) => {
    expect(coerceValue('number', text).ok).toBe(false);
  });

  it('reads integers and rejects fractions', () => {
    expect(coerceValue('integer', '8080')).toEqual({ ok: true, value: 8080 });
    expect(coerceValue('integer', '1.5')).toEqual({ ok: false, reason: 'not an integer' });
  });

  it('reads ports from 0 to 65535 only', () => {
    expect(coerceValue('port', '0')).toEqual({ ok: true, value: 0 });
    expect(coerceValue('port', '65535')).toEqual({ ok: true, value: 65_535 });
    expect(coerceValue('port', '65536')).toEqual({ ok: false, reason: 'out of range' });
    expect(coerceValue('port', '-1')).toEqual({ ok: false, reason: 'out of range' });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['on', true],
    ['ON', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['NO', false],
    ['off', false],
    [' off ', false],
  ])('reads the boolean %j as %s', (text, value) => {
    expect(coerceValue('boolean', text)).toEqual({ ok: true, value });
  });

  it.each(['maybe', 'y', '2', 'enabled', ''])('rejects %j as a boolean', (text) => {
    expect(coerceValue('boolean', text)).toEqual({ ok: false, reason: 'not a boolean' });
  });

  it('keeps a valid URL as its string and rejects a relative one', () => {
    expect(coerceValue('url', 'https://example.com/a?b=1')).toEqual({
      ok: true,
      value: 'https://example.com/a?b=1',
    });
    expect(coerceValue('url', '/relative')).toEqual({ ok: false, reason: 'not an absolute URL' });
  });

  it('reads durations in milliseconds', () => {
    expect(coerceValue('duration', '1h30m')).toEqual({ ok: true, value: 5_400_000 });
    expect(coerceValue('duration', 'soon')).toEqual({ ok: false, reason: 'not a duration' });
  });

  it('splits lists on commas, trims items and drops empty ones', () => {
    expect(coerceValue('list', ' a, b ,,c, ')).toEqual({ ok: true, value: ['a', 'b', 'c'] });
    expect(coerceValue('list', 'a;b', 'string', ';')).toEqual({ ok: true, value: ['a', 'b'] });
  });

  it('coerces list items and names the first bad one', () => {
    expect(coerceValue('list', '1, 2,3', 'number')).toEqual({ ok: true, value: [1, 2, 3] });
    expect(coerceValue('list', '1,x', 'number')).toEqual({ ok: false, reason: 'item 2 is not a number' });
  });

  it('parses JSON without quoting the input in the reason', () => {
    expect(coerceValue('json', '{"a":[1]}')).toEqual({ ok: true, value: { a: [1] } });
    expect(coerceValue('json', '{secret-value')).toEqual({ ok: false, reason: 'not valid JSON' });
  });

  it('leaves strings unchanged', () => {
    expect(coerceValue('string', '  x  ')).toEqual({ ok: true, value: '  x  ' });
  });
});
