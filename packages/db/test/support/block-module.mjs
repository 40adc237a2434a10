// A module hook that makes one package look uninstalled (BLOCK_MODULE=postgres), to prove a path
// never loads the optional peer it does not need.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      const blocked = ${JSON.stringify(process.env.BLOCK_MODULE ?? '')};
      if (blocked && (specifier === blocked || specifier.startsWith(blocked + '/'))) {
        const error = new Error("Cannot find package '" + blocked + "' imported from " + context.parentURL);
        error.code = 'ERR_MODULE_NOT_FOUND';
        throw error;
      }
      return next(specifier, context);
    }
  `)}`,
);
