import { routeFor } from './define-message';
import { buildMessage, envelope } from './envelope.contract';
import { originateError } from './originate-error.contract';
import { originateUuid } from './originate-uuid.contract';
import { EXCHANGES } from './topology';
import { findMessage, identifyMessage, messageByName, messages } from './messages';
import { kazooDeviceQuickcallRequest, kazooQuickcallErrorReply, sampleCallEvent, withConcreteValues } from './testing';

describe('message registry', () => {
  it('lists every contract once, by name and by envelope', () => {
    const names = messages.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(messages.map((m) => `${m.category}/${m.eventName}`)).size).toBe(messages.length);
    expect(names).toEqual(
      expect.arrayContaining(['originate_req', 'originate_uuid', 'originate_started', 'originate_resp', 'originate_error', 'CHANNEL_DESTROY', 'originate_failed', 'call_command', 'call_command_result', 'call_command_error', 'webhook_disabled', 'originate_ready', 'originate_execute', 'PUSH_SENT', 'PUSH_FAILED', 'DEVICE_REGISTERED', 'binding_registered', 'push_req', 'push_resp', 'RECORD_PAUSE', 'RECORD_RESUME', 'RECORDING_SAVED', 'RECORDING_FAILED']),
    );
    expect(messages).toHaveLength(32);
  });

  it('only uses declared exchanges', () => {
    const declared = new Set<string>(Object.values(EXCHANGES).map((e) => e.name));
    for (const def of messages) expect(declared.has(def.exchange)).toBe(true);
  });

  it('identifies a raw message by its envelope', () => {
    expect(identifyMessage(kazooDeviceQuickcallRequest())?.name).toBe('originate_req');
    expect(identifyMessage(kazooQuickcallErrorReply())?.name).toBe('originate_error');
    expect(identifyMessage(sampleCallEvent('CHANNEL_ANSWER'))?.name).toBe('CHANNEL_ANSWER');
    expect(identifyMessage({ 'Event-Category': 'resource', 'Event-Name': 'eavesdrop_req' })).toBeUndefined();
    expect(identifyMessage('originate_req')).toBeUndefined();
    expect(findMessage('resource', 'originate_resp')?.name).toBe('originate_resp');
    expect(messageByName('call_command')?.exchange).toBe('callctl');
  });

  it('validates each registered sample through the generic definition type', () => {
    const def = identifyMessage(kazooDeviceQuickcallRequest());
    expect(def?.schema.safeParse(withConcreteValues(kazooDeviceQuickcallRequest())).success).toBe(true);
    expect(def?.routingKey(kazooDeviceQuickcallRequest())).toBe('originate.resource.req');
  });

  it('routes any mix of definitions through routeFor', () => {
    const defaults = envelope('media-node', '0.1.0');
    const replies = [
      { def: originateUuid, msg: buildMessage(originateUuid, { 'Outbound-Call-ID': 'c-1' }, defaults) },
      { def: originateError, msg: buildMessage(originateError, { 'Error-Message': 'NO_ANSWER' }, defaults) },
    ];
    expect(replies.map(({ def, msg }) => routeFor(def, msg, 'gw-queue-1'))).toEqual([
      { exchange: 'targeted', routingKey: 'gw-queue-1' },
      { exchange: 'targeted', routingKey: 'gw-queue-1' },
    ]);
  });
});
