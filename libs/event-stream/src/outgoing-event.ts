import { topicMatches } from '@legwork/bus';
import { owns, type Ownership, type Scope } from '@legwork/directory';
import { blackholeData, blackholeRoutingKey, eventFrame, eventOwnership, type StreamedEvent } from './call-event.frame';
import type { Subscription } from './subscription.set';
import { textFrame } from './text-frame';

/**
 * One call event on its way to every socket that subscribed to it: normalized, keyed and JSON-encoded once,
 * whatever the number of sockets. Frames differ only by the subscription's binding (its account is the event's),
 * so each binding is encoded once and the same bytes go to every socket that has it; each binding pattern is
 * matched against the routing key once too.
 */
export class OutgoingEvent {
  readonly name: string;
  private data: Record<string, unknown> | undefined;
  private routingKey: string | undefined;
  private ownership: Ownership | undefined;
  private readonly encoded = new Map<string, Buffer>();
  private readonly wire = new Map<string, Buffer>();
  private readonly matched = new Map<string, boolean>();

  constructor(
    readonly event: StreamedEvent,
    /** The routing key it was published (or, replayed, would have been published) under. */
    readonly deliveredKey: string,
    readonly accountId: string,
    readonly cursor: string | undefined,
  ) {
    this.name = event['Event-Name'];
  }

  /** Whether a queue binding pattern (`call.CHANNEL_ANSWER.*`) covers the routing key the event came with. */
  readonly routedBy = (pattern: string): boolean => {
    let hit = this.matched.get(pattern);
    if (hit === undefined) this.matched.set(pattern, (hit = topicMatches(pattern, this.deliveredKey)));
    return hit;
  };

  /** Whether a subscriber of this scope may see the event's call (a plain user: only its own). */
  visibleTo(scope: Scope): boolean {
    if (scope.all) return true;
    this.ownership ??= eventOwnership(this.event);
    return owns(scope, this.ownership);
  }

  /** The event frame for `sub` (a subscription to the event's account) as a complete WebSocket text frame. */
  wireFrameFor(sub: Subscription): Buffer {
    const key = sub.binding;
    let frame = this.wire.get(key);
    if (frame === undefined) this.wire.set(key, (frame = textFrame(this.frameFor(sub))));
    return frame;
  }

  /** The event frame for `sub` (a subscription to the event's account), as UTF-8 JSON bytes. */
  frameFor(sub: Subscription): Buffer {
    const key = sub.binding;
    let bytes = this.encoded.get(key);
    if (bytes === undefined) {
      this.data ??= blackholeData(this.event);
      this.routingKey ??= blackholeRoutingKey(this.event, this.accountId, this.deliveredKey);
      bytes = Buffer.from(JSON.stringify(eventFrame(this.event, this.routingKey, sub, this.data, this.cursor)), 'utf8');
      this.encoded.set(key, bytes);
    }
    return bytes;
  }
}
