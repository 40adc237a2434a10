// Probes a server once: under CI=true an unreachable server fails loudly, otherwise the suite skips.
import { connect } from 'node:net';

/** Resolves true when a TCP connection to the URL's host and port opens within a second. */
export async function reachable(url: string, name: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const defaultPort = url.startsWith('redis') ? 6379 : 5432;
  const ok = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort), timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  if (!ok && process.env.CI === 'true')
    throw new Error(`${name} is not reachable at ${url}; start it or set the URL.`);
  if (!ok) console.warn(`[skip] ${name} is not reachable at ${url}; its tests are skipped.`);
  return ok;
}
