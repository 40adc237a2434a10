// Interleaved rounds and medians: every subject runs one round in turn (rotating the order), so
// drift on a shared machine hits all of them alike.

export interface Subject {
  name: string;
  /** Runs one operation; returns something so the work cannot be optimised away. */
  run: () => unknown;
}

export interface Measured {
  subject: string;
  /** Median operations per second over the rounds. */
  median: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

let sink: unknown;

function round(subject: Subject, ms: number): number {
  let done = 0;
  const started = performance.now();
  const deadline = started + ms;
  // Check the clock every 256 operations: reading it is not free.
  while (performance.now() < deadline) {
    for (let index = 0; index < 256; index++) sink = subject.run();
    done += 256;
  }
  return done / ((performance.now() - started) / 1000);
}

/** Synchronous subjects: ops/s per round, median of `rounds`. */
export function measure(subjects: Subject[], rounds: number, roundMs: number): Measured[] {
  const samples = new Map(subjects.map((subject) => [subject.name, [] as number[]]));
  for (const subject of subjects) round(subject, roundMs); // warm-up, discarded
  for (let index = 0; index < rounds; index++) {
    const order = subjects.map((_, offset) => subjects[(offset + index) % subjects.length] as Subject);
    for (const subject of order) samples.get(subject.name)?.push(round(subject, roundMs));
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return subjects.map((subject) => ({
    subject: subject.name,
    median: median(samples.get(subject.name) ?? []),
  }));
}

export interface AsyncSubject {
  name: string;
  run: () => Promise<unknown>;
}

async function roundAsync(subject: AsyncSubject, ms: number): Promise<number> {
  let done = 0;
  const started = performance.now();
  const deadline = started + ms;
  while (performance.now() < deadline) {
    for (let index = 0; index < 64; index++) sink = await subject.run();
    done += 64;
  }
  return done / ((performance.now() - started) / 1000);
}

/** Asynchronous subjects, one operation at a time: ops/s per round, median of `rounds`. */
export async function measureAsync(
  subjects: AsyncSubject[],
  rounds: number,
  roundMs: number,
): Promise<Measured[]> {
  const samples = new Map(subjects.map((subject) => [subject.name, [] as number[]]));
  for (const subject of subjects) await roundAsync(subject, roundMs);
  for (let index = 0; index < rounds; index++) {
    const order = subjects.map((_, offset) => subjects[(offset + index) % subjects.length] as AsyncSubject);
    for (const subject of order) samples.get(subject.name)?.push(await roundAsync(subject, roundMs));
  }
  return subjects.map((subject) => ({
    subject: subject.name,
    median: median(samples.get(subject.name) ?? []),
  }));
}
