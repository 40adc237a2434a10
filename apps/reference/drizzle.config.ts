// drizzle-kit's configuration: `pnpm db:generate` writes a new SQL migration into ./drizzle after a
// change to src/schema.ts; the app applies pending ones on start.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
