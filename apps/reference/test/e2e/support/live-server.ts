// A real node:http server with the live module attached and a team events route, the way ref-api's
// app serves it: the access checks are a fixed table of tokens and memberships.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, HttpError } from '@plinth/http';
import { toNodeHandler } from '@plinth/http/node';
import type { Queue } from '@plinth/jobs';
import type { Logger } from '@plinth/observability';
import type { Broker, ReplayBuffer } from '@plinth/realtime';
import { createLive, type Live } from '../../../src/live/index.js';

/** Tokens of the fixture: ada reads team-a, bob reads team-b. */
export const fixtureTokens: Record<string, string> = { 'token-ada': 'ada', 'token-bob': 'bob' };
const memberships: Record<string, string[]> = { ada: ['team-a'], bob: ['team-b'] };

/** A logger that keeps its lines, for assertions and quiet test output. */
export function memoryLogger(lines: Array<Record<string, unknown>> = []): Logger & { lines: typeof lines } {
  const write = (level: string) => (fields: unknown, message?: string) => {
    lines.push({
      level,
      ...(typeof fields === 'object' ? (fields as object) : { msg: fields }),
      msg: message,
    });
  };
  const logger = {
    lines,
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: () => logger,
  };
  return logger as unknown as Logger & { lines: typeof lines };
}

/** A started server with the live module on it. */
export interface LiveServer {
  readonly live: Live;
  readonly server: Server;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `ws://127.0.0.1:<port>` */
  readonly wsUrl: string;
  close(): Promise<void>;
}

/** Starts createLive on a real server on a free loopback port. */
export async function startLiveServer(options: {
  broker: Broker;
  queue: Queue;
  replay?: ReplayBuffer;
  logger?: Logger;
}): Promise<LiveServer> {
  const live = createLive({
    broker: options.broker,
    queue: options.queue,
    ...(options.replay ? { replay: options.replay } : {}),
    logger: options.logger ?? memoryLogger(),
    authenticate: async (token) => (fixtureTokens[token] ? { userId: fixtureTokens[token] } : undefined),
    canReadTeam: async (userId, teamId) => memberships[userId]?.includes(teamId) ?? false,
  });
  const app = createApp();
  // What ref-api's GET /teams/:teamId/events does: authenticate (header or ?token=), check, stream.
  app.get('/teams/:teamId/events', (ctx) => {
    const header = ctx.header('authorization');
    const token = header?.startsWith('Bearer ') ? header.slice(7) : ctx.query.get('token');
    const userId = token ? fixtureTokens[token] : undefined;
    if (!userId) throw new HttpError(401, 'Send an access token.');
    if (!memberships[userId]?.includes(ctx.params.teamId))
      throw new HttpError(403, 'Not a member of this team.');
    return live.sse(ctx.request, ctx.params.teamId, userId);
  });
  const server = createServer(toNodeHandler(app));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  live.attach(server);
  const { port } = server.address() as AddressInfo;
  return {
    live,
    server,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    async close() {
      await live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An outbox message as the relay hands it to the sink. */
export function outboxMessage(
  id: string,
  type: string,
  payload: Record<string, unknown>,
): {
  id: string;
  type: string;
  payload: unknown;
  headers: Record<string, string>;
  createdAt: Date;
  attempt: number;
} {
  return { id, type, payload, headers: {}, createdAt: new Date('2026-12-01T08:00:00Z'), attempt: 1 };
}

/** A task event's payload for team `teamId` (REFERENCE-CONTRACT.md's shape). */
export function taskPayload(teamId: string, taskId: string, changes: Record<string, unknown> = {}) {
  const task = {
    id: taskId,
    teamId,
    projectId: 'project-1',
    title: `Task ${taskId}`,
    description: '',
    status: 'open',
    assigneeId: null,
    createdBy: 'ada',
    createdAt: '2026-12-01T08:00:00.000Z',
    updatedAt: '2026-12-01T08:00:00.000Z',
    version: 1,
    ...changes,
  };
  return { teamId, projectId: 'project-1', taskId, actorId: 'ada', task };
}
