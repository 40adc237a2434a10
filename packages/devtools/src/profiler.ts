// On-demand CPU profiles and heap snapshots through node:inspector, written as the .cpuprofile and
// .heapsnapshot files Chrome DevTools opens (Performance / Memory panels, "Load").
import { createWriteStream, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { assertNonNegative, DevtoolsError } from './errors.js';

/** Options of {@link captureCpuProfile}. */
export interface CpuProfileOptions {
  /** How long to record, in milliseconds; 5000 by default. */
  duration?: number;
  /** Folder of the file; the working directory by default. */
  dir?: string;
  /** Stops the recording early (the profile so far is still written). */
  signal?: AbortSignal;
}

/** Options of {@link writeHeapSnapshot}. */
export interface HeapSnapshotOptions {
  /** Folder of the file; the working directory by default. */
  dir?: string;
}

let busy = false;

/** Runs one inspector session at a time: two profiles at once would disturb each other. */
async function withSession<T>(what: string, run: (session: Session) => Promise<T>): Promise<T> {
  if (busy) {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_PROFILER_BUSY',
      `Cannot take a ${what} while another profile or snapshot is running; try again when it is written.`,
    );
  }
  busy = true;
  const session = new Session();
  session.connect();
  try {
    return await run(session);
  } finally {
    session.disconnect();
    busy = false;
  }
}

function fileName(dir: string | undefined, kind: 'CPU' | 'Heap', extension: string): string {
  const folder = dir ?? process.cwd();
  mkdirSync(folder, { recursive: true });
  // Node's own --cpu-prof naming: kind, timestamp, pid.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join(folder, `${kind}.${stamp}.${process.pid}.${extension}`);
}

/**
 * Records a CPU profile of this process for `duration` ms and writes it as a `.cpuprofile` file;
 * returns its path.
 *
 * @example
 * const file = await captureCpuProfile({ duration: 2000, dir: 'profiles' });
 */
export async function captureCpuProfile(options: CpuProfileOptions = {}): Promise<string> {
  const duration = options.duration ?? 5000;
  assertNonNegative('duration', duration);
  return withSession('CPU profile', async (session) => {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    // Node's promise timer takes its abort listener off when it ends: one signal serves many captures.
    // An abort only cuts the capture short.
    await delay(duration, undefined, { signal: options.signal }).catch(() => undefined);
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    const file = fileName(options.dir, 'CPU', 'cpuprofile');
    await writeChunks(file, [JSON.stringify(profile)]);
    return file;
  });
}

/**
 * Writes a heap snapshot of this process as a `.heapsnapshot` file; returns its path. The process
 * pauses while V8 walks the heap (about a second per few hundred MB).
 */
export async function writeHeapSnapshot(options: HeapSnapshotOptions = {}): Promise<string> {
  return withSession('heap snapshot', async (session) => {
    const file = fileName(options.dir, 'Heap', 'heapsnapshot');
    const stream = createWriteStream(file);
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    session.on('HeapProfiler.addHeapSnapshotChunk', (message) => {
      stream.write(message.params.chunk);
    });
    await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    stream.end();
    await finished;
    return file;
  });
}

async function writeChunks(file: string, chunks: string[]): Promise<void> {
  const stream = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    for (const chunk of chunks) stream.write(chunk);
    stream.end(resolve);
  });
}
