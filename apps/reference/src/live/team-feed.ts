// The WebSocket side of a team channel on one instance: one subscription per team with local
// members, whatever their number, so each event is read once here and written to every member.
import type { ChannelFollow, EventHub, StoredEvent } from '@plinth/realtime';

/** What a feed writes to: a @plinth/realtime Connection (its `send` applies the slow-client policy). */
export interface FeedMember {
  send(message: unknown): boolean;
}

interface Feed {
  readonly members: Set<FeedMember>;
  /** Resolves once the hub's subscription is live. */
  readonly ready: Promise<ChannelFollow>;
}

/** The broker channel of a team's events (the contract: `team:<teamId>`). */
export function teamChannel(teamId: string): string {
  return `team:${teamId}`;
}

/** Local WebSocket members per team, fed from the EventHub's team channels. */
export class TeamFeeds {
  readonly #hub: EventHub;
  readonly #feeds = new Map<string, Feed>();

  constructor(hub: EventHub) {
    this.#hub = hub;
  }

  /** Adds `member` to the team; resolves once events published anywhere reach it. */
  async join(teamId: string, member: FeedMember): Promise<void> {
    let feed = this.#feeds.get(teamId);
    if (!feed) {
      const members = new Set<FeedMember>();
      const ready = this.#hub.follow(teamChannel(teamId)).then((follow) => {
        follow.start((event) => deliver(members, event));
        return follow;
      });
      feed = { members, ready };
      this.#feeds.set(teamId, feed);
      const created = feed;
      ready.catch(() => {
        if (this.#feeds.get(teamId) === created) this.#feeds.delete(teamId);
      });
    }
    feed.members.add(member);
    await feed.ready;
  }

  /** Removes `member`; the last one out ends the team's subscription on this instance. */
  async leave(teamId: string, member: FeedMember): Promise<void> {
    const feed = this.#feeds.get(teamId);
    if (!feed?.members.delete(member) || feed.members.size > 0) return;
    this.#feeds.delete(teamId);
    const follow = await feed.ready.catch(() => undefined);
    await follow?.stop();
  }

  /** Local members of a team (for tests and metrics). */
  size(teamId: string): number {
    return this.#feeds.get(teamId)?.members.size ?? 0;
  }

  /** Ends every subscription. */
  async close(): Promise<void> {
    const feeds = [...this.#feeds.values()];
    this.#feeds.clear();
    await Promise.all(
      feeds.map((feed) =>
        feed.ready.then(
          (follow) => follow.stop(),
          () => undefined,
        ),
      ),
    );
  }
}

/** One event to every member: parsed once, `streamId` is its SSE id (the replay position). */
function deliver(members: ReadonlySet<FeedMember>, event: StoredEvent): void {
  const message = { streamId: event.id, ...(JSON.parse(event.data) as object) };
  for (const member of members) member.send(message);
}
