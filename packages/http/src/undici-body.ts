// The string or bytes a standard Response was made from, so the node writer can send them without reading
// the Response's web stream: undici 6 (Node 20 and 22) keeps them in a symbol-keyed state as `body.source`.
// Undici 7 (Node 24) keeps its state in private fields; there this finds nothing and the writer reads the
// stream (node-response.ts). Benchmark "HTTP ctx.request: GET, a JSON body serialised by hand"
// (bench/request-read.ts, subject new Response(string, init)).

type UndiciState = { body?: { source?: unknown } | null } | undefined;

// undefined: not looked for yet; null: this runtime's Response keeps no reachable state.
let stateKey: symbol | null | undefined;

function findStateKey(): symbol | null {
  const probe = new Response('probe');
  for (const key of Object.getOwnPropertySymbols(probe)) {
    // Trust the key only if it holds what this file expects: the body's source, as given.
    if (
      key.description === 'state' &&
      (probe as unknown as Record<symbol, UndiciState>)[key]?.body?.source === 'probe'
    ) {
      return key;
    }
  }
  return null;
}

/** Internal: the string or bytes `response` was constructed with, while its body is unread; else undefined. */
export function undiciSource(response: Response): string | Uint8Array | undefined {
  if (stateKey === undefined) stateKey = findStateKey();
  if (stateKey === null) return undefined;
  const source = (response as unknown as Record<symbol, UndiciState>)[stateKey]?.body?.source;
  if (typeof source !== 'string' && !(source instanceof Uint8Array)) return undefined;
  // A body someone read, or is reading, is not ours to send again.
  if (response.bodyUsed || response.body?.locked === true) return undefined;
  return source;
}
