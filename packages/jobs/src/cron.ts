// Cron expressions: the standard 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds
// first; `*`, lists, ranges, steps, month and weekday names; the next fire time in an IANA time zone.
import { JobsError } from './errors.js';

/** A parsed expression: the allowed values of each field. */
export interface CronExpression {
  readonly source: string;
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  /** Both day fields restricted: a day matches when either does (Vixie cron). */
  readonly eitherDay: boolean;
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function invalid(source: string, why: string): JobsError {
  return new JobsError(
    'ERR_JOBS_INVALID_CRON',
    `Cron expression "${source}" is invalid: ${why}. Write 5 fields (minute hour day month weekday) or 6 (seconds first), e.g. "*/5 * * * *".`,
  );
}

function numberOf(text: string, names: string[] | undefined, offset: number, source: string): number {
  const named = names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + offset;
  if (!/^\d+$/.test(text)) throw invalid(source, `"${text}" is not a number${names ? ' or a name' : ''}`);
  return Number(text);
}

function field(
  text: string,
  min: number,
  max: number,
  source: string,
  names?: string[],
  offset = 0,
): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw invalid(source, `step "${stepText}" must be a positive integer`);
    let low: number;
    let high: number;
    if (range === '*') [low, high] = [min, max];
    else if (range.includes('-')) {
      const [from, to] = range.split('-') as [string, string];
      [low, high] = [numberOf(from, names, offset, source), numberOf(to, names, offset, source)];
    } else {
      low = numberOf(range, names, offset, source);
      high = stepText === undefined ? low : max;
    }
    if (low < min || high > max || low > high) throw invalid(source, `"${part}" is outside ${min}-${max}`);
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

/** Parses a cron expression; throws ERR_JOBS_INVALID_CRON saying what is wrong. */
export function parseCron(source: string): CronExpression {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) throw invalid(source, `it has ${parts.length} fields`);
  const [second, minute, hour, day, month, weekday] = (parts.length === 6 ? parts : ['0', ...parts]) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const weekdays = field(weekday, 0, 7, source, dayNames);
  if (weekdays.delete(7)) weekdays.add(0); // 7 is Sunday too
  return {
    source,
    seconds: field(second, 0, 59, source),
    minutes: field(minute, 0, 59, source),
    hours: field(hour, 0, 23, source),
    days: field(day, 1, 31, source),
    months: field(month, 1, 12, source, monthNames, 1),
    weekdays,
    eitherDay: day !== '*' && weekday !== '*',
  };
}

interface Wall {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(time: number, timeZone: string): Wall {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(time)) parts[part.type] = part.value;
  return {
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: dayNames.indexOf(parts.weekday!.toLowerCase()),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Throws ERR_JOBS_INVALID_OPTION unless the runtime knows the IANA time zone. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new JobsError(
      'ERR_JOBS_INVALID_OPTION',
      `Unknown time zone "${timeZone}"; use an IANA name such as "Europe/Paris" or "UTC".`,
    );
  }
}

const second = 1000;
const minute = 60 * second;

/**
 * The first fire time strictly after `after` (ms), in `timeZone` (default UTC). Time moves in real
 * instants: a wall time skipped by a DST change does not fire; one repeated fires at both instants.
 */
export function nextCronTime(expression: CronExpression, after: number, timeZone = 'UTC'): number {
  let time = Math.floor(after / second) * second + second;
  // An expression that never matches (Feb 30) ends after ten years of day-sized jumps.
  const horizon = after + 10 * 366 * 24 * 60 * minute;
  while (time < horizon) {
    const wall = wallClock(time, timeZone);
    const dayOk = expression.eitherDay
      ? expression.days.has(wall.day) || expression.weekdays.has(wall.weekday)
      : expression.days.has(wall.day) && expression.weekdays.has(wall.weekday);
    // Jump to the next wall boundary; jumps stay an hour short of midnight so a DST day cannot skip one.
    if (!expression.months.has(wall.month) || !dayOk) {
      const toMidnight = ((23 - wall.hour) * 60 + (59 - wall.minute)) * minute + (60 - wall.second) * second;
      time += toMidnight > 60 * minute ? toMidnight - 60 * minute : toMidnight;
    } else if (!expression.hours.has(wall.hour))
      time += (59 - wall.minute) * minute + (60 - wall.second) * second;
    else if (!expression.minutes.has(wall.minute)) time += (60 - wall.second) * second;
    else if (!expression.seconds.has(wall.second)) time += second;
    else return time;
  }
  throw invalid(expression.source, 'it matches no time in the next ten years');
}
