import { parseBinding } from './binding.parser';
import { blackholeData, blackholeRoutingKey, eventFrame } from './call-event.frame';
import { OutgoingEvent } from './outgoing-event';

const A = 'a'.repeat(32);
const ALL = { all: true } as const;

describe('OutgoingEvent', () => {
  const event = { 'Event-Name': 'CHANNEL_ANSWER', 'Call-ID': 'c1@host', 'Node': 'media-1', 'Custom-Channel-Vars': { 'Account-ID': A, 'Owner-ID': 'u1' } };
  const sub = (binding: string) => ({ ...parseBinding(binding), accountId: A, scope: ALL });

  it('encodes one frame per binding and sends the same bytes to every socket with that binding', () => {
    const out = new OutgoingEvent(event, 'call.CHANNEL_ANSWER.c1@host', A, '1733100000123-0');
    const first = out.frameFor(sub('call.*.*'));
    expect(out.frameFor(sub('call.*.*'))).toBe(first);
    const routingKey = blackholeRoutingKey(event, A, 'call.CHANNEL_ANSWER.c1@host');
    expect(JSON.parse(first.toString('utf8'))).toEqual(eventFrame(event, routingKey, sub('call.*.*'), blackholeData(event), '1733100000123-0'));
    const named = out.frameFor(sub('call.CHANNEL_ANSWER.*'));
    expect(named).not.toBe(first);
    expect(JSON.parse(named.toString('utf8'))).toMatchObject({ subscribed_key: 'call.CHANNEL_ANSWER.*', subscription_key: `call.${A}.CHANNEL_ANSWER.*`, cursor: '1733100000123-0' });
  });

  it('matches a binding pattern against the routing key it came with', () => {
    const out = new OutgoingEvent(event, 'call.CHANNEL_ANSWER.c1', A, undefined);
    expect([out.routedBy('call.*.*'), out.routedBy('call.CHANNEL_ANSWER.c1'), out.routedBy('call.CHANNEL_HOLD.*'), out.routedBy('call.*.*')]).toEqual([true, true, false, true]);
  });

  it("shows a plain user only its own calls", () => {
    const out = new OutgoingEvent(event, 'call.CHANNEL_ANSWER.c1@host', A, undefined);
    expect(out.visibleTo(ALL)).toBe(true);
    expect(out.visibleTo({ all: false, userId: 'u1', deviceIds: [] })).toBe(true);
    expect(out.visibleTo({ all: false, userId: 'u2', deviceIds: [] })).toBe(false);
  });
});
