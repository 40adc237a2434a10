// The outbox's last hop: each domain event goes to its team's channel (WebSocket and SSE clients on
// every instance, kept in the replay buffer for resume), and an assignment becomes a notification job.
import type { Queue } from '@plinth/jobs';
import type { EventHub } from '@plinth/realtime';
import type { EventSink, OutboxMessage } from '@plinth/services';
import { z } from 'zod';
import { type AssignmentNotification, jobNames } from '../jobs.js';
import { teamChannel } from './team-feed.js';

/** The part of a domain event's payload the live module reads (REFERENCE-CONTRACT.md); the rest passes through. */
const domainPayload = z.looseObject({
  teamId: z.string().min(1),
  actorId: z.string().min(1).nullish(),
  task: z
    .looseObject({ id: z.string().min(1), title: z.string(), assigneeId: z.string().min(1).nullish() })
    .optional(),
});

/** What a client receives for each event (SSE `data`, and the WebSocket message with its `streamId`). */
export interface LiveEvent {
  /** The outbox event id: delivery is at least once, so clients drop an id they have already seen. */
  readonly id: string;
  readonly type: string;
  readonly createdAt: string;
  readonly payload: Record<string, unknown>;
}

/** An outbox event the live module cannot route: retrying will not help, the relay marks it dead. */
export class LiveEventError extends Error {
  readonly code = 'LIVE_EVENT_INVALID';
  constructor(message: OutboxMessage, problem: string) {
    super(
      `Outbox event ${message.id} (${message.type}) cannot be published: ${problem}. Write events with payload { teamId, actorId, task, ... } as REFERENCE-CONTRACT.md says.`,
    );
    this.name = 'LiveEventError';
  }
}

/** The broker or replay buffer refused an event (Redis away): the relay keeps the event and retries it. */
export class LivePublishError extends Error {
  readonly code = 'LIVE_PUBLISH_FAILED';
  constructor(message: OutboxMessage, cause: unknown) {
    super(
      `Outbox event ${message.id} (${message.type}) was not published: ${(cause as Error)?.message ?? String(cause)}. Check that Redis answers at REDIS_URL; the relay retries the event.`,
      { cause },
    );
    this.name = 'LivePublishError';
  }
}

/**
 * The EventSink the outbox relay delivers to. At least once: a send that fails after publishing is
 * repeated, so clients may see an event twice (same `id`) — they deduplicate; the notification job
 * is enqueued with the event id as its job id, so it is added once.
 */
export function createLiveSink(hub: EventHub, queue: Queue): EventSink {
  return {
    name: 'live',
    async send(message, signal) {
      const parsed = domainPayload.safeParse(message.payload);
      if (!parsed.success) {
        throw new LiveEventError(
          message,
          parsed.error.issues
            .map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`)
            .join('; '),
        );
      }
      const payload = parsed.data;
      const assigneeId = payload.task?.assigneeId;
      // Enqueue first: it is idempotent by id, so a retry after a failed publish adds nothing twice.
      if (message.type === 'task.assigned' && payload.task && assigneeId) {
        const notification: AssignmentNotification = {
          eventId: message.id,
          teamId: payload.teamId,
          taskId: payload.task.id,
          title: payload.task.title,
          assigneeId,
          actorId: payload.actorId ?? null,
        };
        await queue.enqueue(jobNames.notifyAssignee, notification, {
          id: `${jobNames.notifyAssignee}:${message.id}`,
        });
      }
      signal.throwIfAborted();
      const event: LiveEvent = {
        id: message.id,
        type: message.type,
        createdAt: new Date(message.createdAt).toISOString(),
        payload,
      };
      try {
        await hub.publish(teamChannel(payload.teamId), { event: message.type, data: event });
      } catch (error) {
        throw new LivePublishError(message, error);
      }
    },
  };
}
