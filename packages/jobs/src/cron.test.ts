import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron } from './cron.js';

const at = (iso: string) => Date.parse(iso);
const iso = (time: number) => new Date(time).toISOString();

describe('cron', () => {
  it.each([
    ['*/15 * * * *', '2026-03-10T10:07:30Z', '2026-03-10T10:15:00.000Z'],
    ['0 9 * * 1-5', '2026-03-13T09:00:00Z', '2026-03-16T09:00:00.000Z'], // Friday 09:00 → Monday
    ['30 2 1 * *', '2026-01-31T12:00:00Z', '2026-02-01T02:30:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 12 * JAN,jul SUN', '2026-01-01T00:00:00Z', '2026-01-04T12:00:00.000Z'],
    ['*/20 * * * * *', '2026-03-10T10:07:41Z', '2026-03-10T10:08:00.000Z'],
    ['5 0 * * 7', '2026-03-10T00:00:00Z', '2026-03-15T00:05:00.000Z'], // 7 is Sunday
    ['0 0 13 * 5', '2026-03-01T00:00:00Z', '2026-03-06T00:00:00.000Z'], // the 13th OR a Friday
  ])('"%s" after %s fires at %s (UTC)', (expression, after, expected) => {
    expect(iso(nextCronTime(parseCron(expression), at(after)))).toBe(expected);
  });

  it('fires strictly after the given time', () => {
    expect(iso(nextCronTime(parseCron('0 * * * *'), at('2026-03-10T10:00:00Z')))).toBe(
      '2026-03-10T11:00:00.000Z',
    );
  });

  it('reads wall time in the given time zone, across a DST change', () => {
    const nineInParis = parseCron('0 9 * * *');
    // Europe/Paris is UTC+1 in winter and UTC+2 from 29 March 2026.
    expect(iso(nextCronTime(nineInParis, at('2026-03-27T12:00:00Z'), 'Europe/Paris'))).toBe(
      '2026-03-28T08:00:00.000Z',
    );
    expect(iso(nextCronTime(nineInParis, at('2026-03-28T12:00:00Z'), 'Europe/Paris'))).toBe(
      '2026-03-29T07:00:00.000Z',
    );
    expect(iso(nextCronTime(parseCron('30 5 * * *'), at('2026-03-09T23:00:00Z'), 'Asia/Kolkata'))).toBe(
      '2026-03-10T00:00:00.000Z',
    );
  });

  it.each([
    ['* * * *', /4 fields/],
    ['60 * * * *', /outside 0-59/],
    ['* * * * MON-FOO', /not a number or a name/],
    ['*/0 * * * *', /step/],
    ['0 0 30 2 *', /no time in the next ten years/],
  ])('refuses "%s" with ERR_JOBS_INVALID_CRON', (expression, message) => {
    expect(() => nextCronTime(parseCron(expression), 0)).toThrow(message);
    expect(() => nextCronTime(parseCron(expression), 0)).toThrow(
      expect.objectContaining({ code: 'ERR_JOBS_INVALID_CRON' }),
    );
  });
});
