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
      const members = new Set<ChannelMember>();
      const ready = this.#broker.subscribe(this.#prefix + channel, (message) =>
        this.#fanOut(members, message),
      );
      entry = { members, ready };
      this.#channels.set(channel, entry);
      ready.catch(() => {
        if (this.#channels.get(channel) === entry) this.#channels.delete(channel);
      });
    }
    entry.members.add(member);
    await entry.ready;
  }

  /** Removes `member` from `channel`; the last one out ends the Broker subscription. */
  async leave(channel: string, member: ChannelMember): Promise<void> {
    const entry = this.#channels.get(channel);
    if (!entry?.members.delete(member) || entry.members.size > 0) return;
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

  #fanOut(members: Set<ChannelMember>, message: string): void {
    if (members.size === 0) return;
    const split = message.indexOf('\n');
    const except = split > 0 ? message.slice(0, split) : undefined;
    const payload = Buffer.from(message.slice(split + 1));
    const frame = this.#frame(payload);
    for (const member of members) if (member.id !== except) member.deliver(frame, payload);
  }
}
