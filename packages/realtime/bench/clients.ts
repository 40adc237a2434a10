// The bench's clients, in their own process so the server keeps a core: N ws or socket.io clients
// that count messages and report over IPC when every client has received the expected number.

import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';

const [url, kind, countText] = process.argv.slice(2) as [string, 'ws' | 'socket.io', string];
const count = Number(countText);
const received = new Int32Array(count);
let target = Number.POSITIVE_INFINITY;
let complete = 0;

const onMessage = (index: number) => {
  if (++received[index]! === target) {
    if (++complete === count) process.send?.({ type: 'done' });
  }
};

async function connectAll(): Promise<void> {
  const batch = 200;
  for (let start = 0; start < count; start += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, (_, offset) => {
        const index = start + offset;
        return new Promise<void>((resolve, reject) => {
          if (kind === 'ws') {
            const socket = new WebSocket(url, { perMessageDeflate: false });
            socket.on('open', () => resolve());
            socket.on('error', reject);
            socket.on('message', () => onMessage(index));
          } else {
            const socket: Socket = io(url, { transports: ['websocket'], forceNew: true });
            socket.on('connect', () => resolve());
            socket.on('connect_error', reject);
            socket.on('m', () => onMessage(index));
          }
        });
      }),
    );
  }
}

process.on('message', (message: { type: string; messages: number }) => {
  if (message.type === 'expect') {
    received.fill(0);
    complete = 0;
    target = message.messages;
    process.send?.({ type: 'armed' });
  }
});

await connectAll();
process.send?.({ type: 'ready' });
