export { type FilterColumns, toDrizzleWhere } from './adapters/drizzle.js';
