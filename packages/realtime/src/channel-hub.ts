// The channels of one server instance: local members per channel, fanned in from the Broker. A
// broadcast is published once on the Broker; each instance frames it once and writes it to its members.
import type { Broker } from './broker.js';
import { assertChannel } from './errors.js';

/** What a channel member must offer the hub. */
export interface ChannelMember {
  readonly id: string;
  /** Writes an already framed message; the member applies its own backpressure policy. */
  deliver(frame: Buffer, payload: Buffer): void;
}

interface Channel {
  members: Set<ChannelMember>;
  /** `members` as an array for the fan-out loop, rebuilt on the first broadcast after a change. */
  list: ChannelMember[] | undefined;
  /** Resolves once the Broker subscription is active; holds its unsubscribe function. */
  ready: Promise<() => Promise<void>>;
}

/**
 * Envelope on the Broker: `<except id>\n<payload>`; no JSON parse on the receive path.
 * An empty first line means nobody is excepted.
 */
export function encodeEnvelope(payload: string, except: string | undefined): string {
  return `${except ?? ''}\n${payload}`;
}

/** Local channel membership backed by a Broker. */
export class ChannelHub {
  readonly #broker: Broker;
  readonly #prefix: string;
  readonly #channels = new Map<string, Channel>();
  readonly #frame: (payload: Buffer) => Buffer;

  constructor(broker: Broker, prefix: string, frame: (payload: Buffer) => Buffer) {
    this.#broker = broker;
    this.#prefix = prefix;
    this.#frame = frame;
  }

  /** Adds `member` to `channel`; resolves once broadcasts from every instance reach it. */
  async join(channel: string, member: ChannelMember): Promise<void> {
    assertChannel(channel);
    let entry = this.#channels.get(channel);
    if (!entry) {
      // The listener runs on a publish, after `created` exists.
      const ready = this.#broker.subscribe(this.#prefix + channel, (message) =>
        this.#fanOut(created, message),
      );
      const created: Channel = { members: new Set(), list: undefined, ready };
      entry = created;
      this.#channels.set(channel, entry);
      ready.catch(() => {
        if (this.#channels.get(channel) === entry) this.#channels.delete(channel);
      });
    }
    entry.members.add(member);
    entry.list = undefined;
    await entry.ready;
  }

  /** Removes `member` from `channel`; the last one out ends the Broker subscription. */
  async leave(channel: string, member: ChannelMember): Promise<void> {
    const entry = this.#channels.get(channel);
    if (!entry?.members.delete(member)) return;
    entry.list = undefined;
    if (entry.members.size > 0) return;
    this.#channels.delete(channel);
    const unsubscribe = await entry.ready.catch(() => undefined);
    await unsubscribe?.();
  }

  /** Publishes `payload` to every member of `channel` on every instance, except `except`. */
  broadcast(channel: string, payload: string, except?: string): Promise<void> {
    assertChannel(channel);
    return this.#broker.publish(this.#prefix + channel, encodeEnvelope(payload, except));
  }

  /** How many local members `channel` has. */
  size(channel: string): number {
    return this.#channels.get(channel)?.members.size ?? 0;
  }

  /** Ends every Broker subscription. */
  async close(): Promise<void> {
    const entries = [...this.#channels.values()];
    this.#channels.clear();
    await Promise.all(
      entries.map(async (entry) => {
        const unsubscribe = await entry.ready.catch(() => undefined);
        await unsubscribe?.();
      }),
    );
  }

  #fanOut(entry: Channel, message: string): void {
    if (entry.members.size === 0) return;
    const split = message.indexOf('\n');
    const payload = Buffer.from(message.slice(split + 1));
    const frame = this.#frame(payload);
    // An array copy: a member that leaves (or joins) during the loop does not disturb it.
    if (entry.list === undefined) entry.list = [...entry.members];
    const list = entry.list;
    if (split > 0) {
      const except = message.slice(0, split);
      for (const member of list) if (member.id !== except) member.deliver(frame, payload);
    } else {
      for (let index = 0; index < list.length; index++) list[index]!.deliver(frame, payload);
    }
  }
}
