// Loads an optional peer dependency on first use, from the ESM and the CJS build alike.
import { createRequire } from 'node:module';

// tsup's `shims` gives the CJS build an `import.meta.url`, so one `createRequire` serves both builds.
const requireFromHere = createRequire(import.meta.url);

/** The module `id`, or `undefined` when it is not installed; any other loading error is thrown. */
export function loadOptional<T>(id: string): T | undefined {
  try {
    return requireFromHere(id) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Only "this very module is missing" means absent; a broken install of it must still be loud.
    if (code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${id}'`)) return undefined;
    throw error;
  }
}
