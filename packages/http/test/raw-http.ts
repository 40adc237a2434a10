// A bare HTTP/1.1 client over a TCP socket, for requests fetch refuses to send (malformed targets,
// huge headers). Bounded: it gives up after `timeout` ms.
import { connect } from 'node:net';

/** Sends `raw` to port and resolves with the status code and whole response text. */
export function rawRequest(
  port: number,
  raw: string,
  timeout = 5000,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${timeout} ms; got ${JSON.stringify(text)}`));
    }, timeout);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    const finish = () => {
      clearTimeout(timer);
      resolve({ status: Number(text.slice(9, 12)), text });
    };
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (error) => {
      if (text !== '') finish();
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.write(raw);
  });
}
