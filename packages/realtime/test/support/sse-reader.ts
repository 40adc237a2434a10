// Reads an event stream the way EventSource does (WHATWG HTML §9.2.6), for node-side tests.
export interface ParsedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/** Parses a complete or partial stream text into dispatched events (and the last retry seen). */
export function parseEventStream(input: string): { events: ParsedEvent[]; retry: number | undefined } {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const events: ParsedEvent[] = [];
  let data = '';
  let type = '';
  let lastEventId = '';
  let retry: number | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  lines.pop(); // an unterminated last line is not processed
  for (const line of lines) {
    if (line === '') {
      if (data !== '') events.push({ type: type || 'message', data: data.slice(0, -1), lastEventId });
      data = '';
      type = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data += `${value}\n`;
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  }
  return { events, retry };
}

/** Reads a streaming body until `count` events arrived, then cancels it. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  count: number,
): Promise<{ events: ParsedEvent[]; retry: number | undefined; text: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const parsed = parseEventStream(text);
    if (parsed.events.length >= count) {
      await reader.cancel();
      return { ...parsed, text };
    }
    const { value, done } = await reader.read();
    if (done) return { ...parseEventStream(text), text };
    text += decoder.decode(value, { stream: true });
  }
}
