// The one tsup preset every package builds with: ESM + CJS + types for both, Node 20.
import type { Options } from 'tsup';

export function packageBuild(entry: Record<string, string>, options: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
    shims: true,
    splitting: true,
    treeshake: true,
    ...options,
  };
}
