// The domain-error mapping plugged into the error handler a real Express 5 and Fastify 5 app
// already has (Fastify's own; on Express a problem+json handler of the http-errors convention, as
// @plinth/observability's): the answers carry the mapped status, code and headers, and hide 5xx
// details.
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTransactions,
  DomainError,
  err,
  httpErrorMapping,
  memoryRunner,
  ok,
  type Result,
} from '../src/index.js';

class InsufficientFunds extends DomainError<'INSUFFICIENT_FUNDS', { balance: number }> {}
class LedgerUnavailable extends DomainError<'LEDGER_UNAVAILABLE'> {}
class TooManyTransfers extends DomainError<'TOO_MANY_TRANSFERS'> {}
type TransferError = InsufficientFunds | LedgerUnavailable | TooManyTransfers;

const toHttp = httpErrorMapping<TransferError>({
  INSUFFICIENT_FUNDS: 409,
  LEDGER_UNAVAILABLE: 503,
  TOO_MANY_TRANSFERS: { status: 429, headers: { 'retry-after': '60' } },
});

/** A service on the memory runner: expected failures come back as a Result. */
function transferService() {
  const transactions = createTransactions(memoryRunner());
  transactions.runner.client.set('balance', 5);
  return transactions.wrap(async (amount: number): Promise<Result<number, TransferError>> => {
    const balance = transactions.db().get<number>('balance') ?? 0;
    if (amount === 13)
      return err(new LedgerUnavailable('LEDGER_UNAVAILABLE', 'ledger at 10.0.0.7:5432 refused'));
    if (amount === 99) return err(new TooManyTransfers('TOO_MANY_TRANSFERS', 'Wait a minute.'));
    if (amount > balance) {
      return err(
        new InsufficientFunds('INSUFFICIENT_FUNDS', `The balance is ${balance}.`, { details: { balance } }),
      );
    }
    transactions.db().set('balance', balance - amount);
    return ok(balance - amount);
  });
}

/** A minimal handler of the http-errors convention (SEAMS §B), standing in for the app's own. */
function problemHandler(
  error: unknown,
  _req: express.Request,
  res: express.Response,
  _next: express.NextFunction,
) {
  const http = error as {
    status?: number;
    expose?: boolean;
    code?: string;
    message?: string;
    headers?: object;
  };
  const status = typeof http.status === 'number' ? http.status : 500;
  const exposed = http.expose ?? status < 500;
  const body = JSON.stringify({
    status,
    ...(exposed ? { detail: http.message, code: http.code } : { code: 'INTERNAL' }),
  });
  res
    .status(status)
    .set(http.headers ?? {})
    .type('application/problem+json')
    .send(body);
}

const closers: Array<() => Promise<unknown>> = [];
afterAll(() => Promise.all(closers.map((close) => close())));

async function listenExpress(): Promise<string> {
  const transfer = transferService();
  const app = express();
  app.post('/transfer/:amount', async (req, res) => {
    const result = await transfer(Number(req.params.amount));
    if (!result.ok) throw result.error;
    res.json({ balance: result.value });
  });
  app.use((error: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) =>
    next(toHttp(error)),
  );
  app.use(problemHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function listenFastify(): Promise<string> {
  const transfer = transferService();
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => reply.send(toHttp(error)));
  app.post<{ Params: { amount: string } }>('/transfer/:amount', async (request) => {
    const result = await transfer(Number(request.params.amount));
    if (!result.ok) throw result.error;
    return { balance: result.value };
  });
  closers.push(() => app.close());
  return app.listen({ port: 0, host: '127.0.0.1' });
}

for (const [name, listen] of [
  ['Express 5', listenExpress],
  ['Fastify 5', listenFastify],
] as const) {
  describe(`domain errors through ${name}`, async () => {
    const base = await listen();
    const post = (amount: number) => fetch(`${base}/transfer/${amount}`, { method: 'POST' });

    it('answers a success as usual', async () => {
      const response = await post(2);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ balance: 3 });
    });

    it('answers an expected failure with its mapped 409 and the domain message', async () => {
      const response = await post(50);
      expect(response.status).toBe(409);
      const body = await response.json();
      expect(body).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(JSON.stringify(body)).toContain('The balance is 3.');
    });

    it('sends the headers of the mapping', async () => {
      const response = await post(99);
      expect(response.status).toBe(429);
      if (name === 'Express 5') expect(response.headers.get('retry-after')).toBe('60');
      expect(await response.json()).toMatchObject({ code: 'TOO_MANY_TRANSFERS' });
    });

    it('answers a 5xx mapping without the internal message', async () => {
      const response = await post(13);
      expect(response.status).toBe(503);
      const body = await response.text();
      expect(body).not.toContain('10.0.0.7');
    });
  });
}
