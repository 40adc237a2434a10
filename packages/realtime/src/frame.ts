// A WebSocket text frame built once (RFC 6455 §5.2: FIN, opcode 1, server frames unmasked), so a
// broadcast serialises and frames a message one time and writes the same bytes to every socket.
// bench/index.ts ("framed once" vs "ws send loop") is what justifies writing frames ourselves.

/** The bytes of one unmasked, final text frame carrying `payload`. */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + text
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}
