// A bare node:http GET for tests and the bench: status, headers and body, over a chosen agent.
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';

/** The parts of a response the tests look at. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** GETs `path` from 127.0.0.1:`port`; `agent: false` opens a fresh connection. */
export function httpGet(port: number, path: string, agent: Agent | false = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    })
      .on('error', reject)
      .end();
  });
}
