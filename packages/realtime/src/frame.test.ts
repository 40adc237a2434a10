import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { textFrame } from './frame.js';

// ws exports its frame parser at runtime; @types/ws does not declare it.
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => import('node:stream').Writable;
};

/** Parses frames with ws's own Receiver (client side: server frames are unmasked). */
function parse(frame: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) =>
      isBinary ? reject(new Error('binary')) : resolve(data.toString()),
    );
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe('textFrame', () => {
  it.each([0, 1, 125, 126, 65_535, 65_536, 200_000])(
    'frames %i bytes so ws parses them back',
    async (size) => {
      const text = 'a'.repeat(size);
      const frame = textFrame(Buffer.from(text));
      expect(frame[0]).toBe(0x81);
      expect(frame.length).toBe(size + (size < 126 ? 2 : size < 65_536 ? 4 : 10));
      expect(await parse(frame)).toBe(text);
    },
  );
});
