// The live module of the reference app: domain events out of the outbox to a team's WebSocket and
// SSE clients on every instance (through the Broker), and the notification job on assignment.
import type { Server } from 'node:http';
import type { Queue } from '@plinth/jobs';
import type { Logger } from '@plinth/observability';
import { type Broker, createEventHub, memoryReplayBuffer, type ReplayBuffer } from '@plinth/realtime';
import { createWebSocketServer, type RealtimeWebSocketServer } from '@plinth/realtime/ws';
import type { EventSink } from '@plinth/services';
import { createLiveSink } from './event-sink.js';
import { TeamFeeds } from './team-feed.js';
import { TeamStreams } from './team-stream.js';
import { authorizeUpgrade, type LiveAccess, type LiveUser } from './upgrade-auth.js';

/** What the live module is built from (REFERENCE-CONTRACT.md); main.ts makes the real ones. */
export interface LiveOptions extends LiveAccess {
  /** Carries events to every instance: memoryBroker(), or redisBroker() when REDIS_URL is set. */
  broker: Broker;
  /** Where `notify-assignee` jobs go (src/jobs.ts `createQueue`). */
  queue: Queue;
  logger: Logger;
  /**
   * Keeps recent events for SSE resume. Default memoryReplayBuffer() (this instance only); with
   * several instances pass redisReplayBuffer() so a client may resume on any of them.
   */
  replay?: ReplayBuffer;
}

/** The live module: the outbox sink, the /live WebSocket endpoint and team event streams. */
export interface Live {
  /** Publishes every event to `team:<teamId>`; enqueues `notify-assignee` on `task.assigned`. At least once. */
  readonly sink: EventSink;
  /** Serves WebSockets at `/live?team=<teamId>` on `server` (token by `?token=` or subprotocol `bearer`). */
  attach(server: Server): void;
  /** A text/event-stream of the team's events; the caller has checked the user may read the team. */
  sse(request: Request, teamId: string, userId: string): Response;
  /** Closes WebSockets (1001) and streams, and ends subscriptions; the broker, replay and queue stay open. */
  close(): Promise<void>;
}

/**
 * Builds the live module.
 *
 * @example
 * const live = createLive({ broker, queue, replay, authenticate, canReadTeam, logger });
 * live.attach(server); // after serve()
 * createOutboxRelay({ db, sink: live.sink }).start();
 */
export function createLive(options: LiveOptions): Live {
  const logger = options.logger.child({ component: 'live' });
  const replay = options.replay ?? memoryReplayBuffer();
  // No prefix: the broker channel of a team is `team:<teamId>`, as the contract names it.
  const hub = createEventHub({ broker: options.broker, replay, channelPrefix: '' });
  const feeds = new TeamFeeds(hub);
  const streams = new TeamStreams(hub, replay);
  const sockets: RealtimeWebSocketServer<LiveUser>[] = [];

  return {
    sink: createLiveSink(hub, options.queue),
    attach(server) {
      sockets.push(
        createWebSocketServer<LiveUser>({
          server,
          path: '/live',
          broker: options.broker,
          channelPrefix: 'live:',
          // Clients only listen; anything they send is read and ignored, so keep frames small.
          maxPayload: 4096,
          authenticate: authorizeUpgrade(options),
          onConnection: async (connection) => {
            const { teamId, userId } = connection.user;
            await feeds.join(teamId, connection);
            // Tells the client its feed is live: load the list now and nothing after it is missed.
            connection.send({ type: 'ready', teamId });
            logger.debug({ teamId, userId, connection: connection.id }, 'live socket joined its team');
          },
          onClose: (connection) => void feeds.leave(connection.user.teamId, connection),
          onError: (error, connection) =>
            logger.error({ err: error, connection: connection.id }, 'live socket failed'),
        }),
      );
    },
    sse(request, teamId, userId) {
      logger.debug({ teamId, userId }, 'live stream opened');
      return streams.respond(request, teamId);
    },
    async close() {
      streams.close();
      await Promise.all(sockets.splice(0).map((socket) => socket.close()));
      await feeds.close();
      if (!options.replay) await replay.close();
    },
  };
}
