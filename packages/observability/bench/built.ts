// The benchmarks measure the built package (dist/), as users get it. Run under tsx, src/ is compiled with
// esbuild's keepNames, which wraps every closure created per request in a defineProperty call: that made
// our middleware look 2–3× costlier than the published code is (see bench "request logging").
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Imports `dist/<entry>.js`, or fails saying how to build it. */
export async function loadBuilt<T>(entry: string): Promise<T> {
  const url = new URL(`../dist/${entry}.js`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(
      `bench measures the built package: run \`pnpm --filter @plinth/observability build\` first`,
    );
  }
  return (await import(url.href)) as T;
}
