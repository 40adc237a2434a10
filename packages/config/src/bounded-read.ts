// Reading a configuration file (.env, NAME_FILE, a file of a secrets directory) with a size limit and
// without blocking: /dev/zero, a FIFO nobody writes to, or a huge file fail at once with a ConfigError.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigError } from './errors.js';

/** The default largest .env or secret file, in bytes: 1 MiB, far above any real one. */
export const defaultMaxFileSize = 1024 * 1024;

// Read in slices, so a device that never ends costs one limit's worth of memory at most.
const sliceSize = 64 * 1024;

/** What a read is for, to name it in the error. */
export interface BoundedReadOptions {
  /** The largest size in bytes accepted. */
  readonly maxSize: number;
  /** What the file is, for messages: `.env.local`, `DB_PASSWORD_FILE`, `the secret file for DB_PASSWORD`. */
  readonly what: string;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function tooLarge(path: string, options: BoundedReadOptions, size: string): ConfigError {
  return new ConfigError(
    'ERR_CONFIG_FILE_TOO_LARGE',
    `${options.what} (${path}) is ${size}, over the ${formatSize(options.maxSize)} limit for configuration files. ` +
      'Point it at the right file, or raise the limit with the maxFileSize option.',
  );
}

/**
 * Reads a file as UTF-8, refusing FIFOs and sockets (a read could wait forever for a writer) and
 * anything past `maxSize` bytes (a regular file by its size, a device such as /dev/zero as it is read).
 * Errors of the file system (ENOENT, EACCES, EISDIR) are thrown as they are.
 */
export function readBoundedFile(path: string, options: BoundedReadOptions): string {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. (Absent on Windows.)
  const descriptor = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(descriptor);
    if (stat.isFIFO() || stat.isSocket()) {
      throw new ConfigError(
        'ERR_CONFIG_NOT_A_FILE',
        `${options.what} (${path}) is a ${stat.isFIFO() ? 'FIFO' : 'socket'}, not a file: reading it could block the start forever. ` +
          'Point it at a regular file (a mounted secret, a file written before start).',
      );
    }
    if (stat.isFile() && stat.size > options.maxSize) throw tooLarge(path, options, formatSize(stat.size));
    const slices: Buffer[] = [];
    let total = 0;
    for (;;) {
      const slice = Buffer.allocUnsafe(Math.min(sliceSize, options.maxSize + 1 - total));
      const read = readSync(descriptor, slice, 0, slice.length, null);
      if (read === 0) break;
      slices.push(read === slice.length ? slice : slice.subarray(0, read));
      total += read;
      if (total > options.maxSize) throw tooLarge(path, options, `more than ${formatSize(options.maxSize)}`);
    }
    return Buffer.concat(slices, total).toString('utf8');
  } finally {
    closeSync(descriptor);
  }
}
