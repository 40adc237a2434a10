// Loads an optional peer dependency on first use, from the ESM and the CJS build alike.
import { DbError } from './errors.js';

/** The module `id`; a missing module becomes ERR_DB_DRIVER_MISSING naming the package to install. */
export async function loadOptional<T>(id: string, packageName: string, purpose: string): Promise<T> {
  try {
    return (await import(id)) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = String((error as Error).message);
    // Only "this very module is missing" means absent; a broken install of it must stay loud.
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(packageName)) {
      throw new DbError(
        'ERR_DB_DRIVER_MISSING',
        `${purpose} needs the optional peer dependency "${packageName}": run \`pnpm add ${packageName}\`.`,
        { cause: error },
      );
    }
    throw error;
  }
}
