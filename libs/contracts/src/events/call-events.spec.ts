import { buildMessage, envelope } from '../envelope.contract';
import { kazooContactQuickcallRequest, sampleCallEvent } from '../testing';
import { parseMessage } from '../validate';
import { CALL_EVENT_NAMES, callEvents, isCallEventName, type CallEvent } from './call-events';

const required: Record<string, Record<string, unknown>> = {
  CHANNEL_BRIDGE: { 'Other-Leg-Call-ID': 'b-leg-77' },
  CHANNEL_DESTROY: { 'Hangup-Cause': 'NORMAL_CLEARING', 'Hangup-Code': 'sip:200', 'Duration-Seconds': '62', 'Billing-Seconds': 50, 'Ringing-Seconds': 12 },
  RECORD_STOP: { 'Media-Name': 'call.mp3', Length: 50_000 },
  RECORDING_SAVED: { 'Media-Recording-ID': 'r-1', 'Media-Name': 'r-1.wav', 'Recording-Location': 'recordings/acct/r-1.wav', Length: 50_000, 'Size-Bytes': 800_044 },
  RECORDING_FAILED: { 'Error-Message': 'recording not saved: disk full' },
  PUSH_SENT: { 'Push-Provider': 'apns', 'Push-PRID': 'a1b2c3', 'Push-Kind': 'call' },
  PUSH_FAILED: { 'Push-Provider': 'fcm', 'Push-PRID': 'tok-1', 'Push-Kind': 'call', 'Push-Status': 404, 'Push-Error': 'UNREGISTERED' },
  DEVICE_REGISTERED: { 'Push-Provider': 'apns', 'Push-PRID': 'a1b2c3', Contact: 'sip:alice@10.0.0.9:5060', 'Registrar-Node': 'media-2', 'Push-Wake-Ms': 850 },
  originate_failed: {
    'Call-ID': undefined,
    'Error-Message': 'DESTINATION_OUT_OF_ORDER',
    Request: kazooContactQuickcallRequest(),
    'Outbound-Call-IDs': ['{CALL_ID}-quickcall'],
  },
};

function sample(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return sampleCallEvent(name, { ...required[name], ...extra });
}

function fields(name: keyof typeof callEvents, raw: unknown): string[] {
  const result = parseMessage(callEvents[name], raw);
  return result.ok ? [] : result.error.issues.map((i) => i.field);
}

describe('call events', () => {
  it.each(CALL_EVENT_NAMES)('%s accepts a realistic event and keeps unknown headers', (name) => {
    const result = parseMessage(callEvents[name], sample(name, { 'Switch-URI': 'sip:10.0.0.5:5060' }));
    if (!result.ok) throw result.error;
    expect(result.value['Event-Name']).toBe(name);
    expect(result.value['Event-Category']).toBe('call_event');
    expect(result.value['Switch-URI']).toBe('sip:10.0.0.5:5060');
    expect(callEvents[name].exchange).toBe('callevt');
  });

  it.each(CALL_EVENT_NAMES.filter((n) => n !== 'originate_failed'))('%s requires Call-ID and the account in CCVs', (name) => {
    expect(fields(name, sample(name, { 'Call-ID': undefined }))).toEqual(['Call-ID']);
    expect(fields(name, sample(name, { 'Custom-Channel-Vars': { 'Owner-ID': 'u1' } }))).toEqual(['Custom-Channel-Vars.Account-ID']);
  });

  it('CHANNEL_BRIDGE requires the other leg', () => {
    expect(fields('CHANNEL_BRIDGE', sample('CHANNEL_BRIDGE', { 'Other-Leg-Call-ID': undefined }))).toEqual(['Other-Leg-Call-ID']);
  });

  it('CHANNEL_DESTROY requires cause and durations, coercing numeric strings', () => {
    const raw = sampleCallEvent('CHANNEL_DESTROY');
    expect(fields('CHANNEL_DESTROY', raw)).toEqual(['Hangup-Cause', 'Duration-Seconds', 'Billing-Seconds', 'Ringing-Seconds']);
    const ok = parseMessage(callEvents.CHANNEL_DESTROY, sample('CHANNEL_DESTROY'));
    expect(ok.ok && ok.value['Duration-Seconds']).toBe(62);
    expect(fields('CHANNEL_DESTROY', sample('CHANNEL_DESTROY', { 'Hangup-Code': '486' }))).toEqual(['Hangup-Code']);
    expect(fields('CHANNEL_DESTROY', sample('CHANNEL_DESTROY', { 'Billing-Seconds': -1 }))).toEqual(['Billing-Seconds']);
  });

  it('originate_failed needs no Call-ID but an Error-Message', () => {
    expect(fields('originate_failed', sample('originate_failed', { 'Error-Message': undefined }))).toEqual(['Error-Message']);
  });

  it('checks the shared fields', () => {
    expect(fields('CHANNEL_CREATE', sample('CHANNEL_CREATE', { 'Call-Direction': 'sideways' }))).toEqual(['Call-Direction']);
    expect(fields('CHANNEL_ANSWER', sample('CHANNEL_ANSWER', { 'Event-Name': 'CHANNEL_CREATE' }))).toEqual(['Event-Name']);
  });

  it("routes on call.{Event-Name}.{Call-ID} with the Call-ID encoded as Kazoo's encode/1", () => {
    const create = parseMessage(callEvents.CHANNEL_CREATE, sample('CHANNEL_CREATE', { 'Call-ID': 'a1.b2*c3#d4@10.0.0.5' }));
    if (!create.ok) throw create.error;
    expect(callEvents.CHANNEL_CREATE.routingKey(create.value)).toBe('call.CHANNEL_CREATE.a1%2Eb2%2Ac3%23d4%4010%2E0%2E0%2E5');
  });

  it('routes originate_failed by the request ids it carries', () => {
    const defaults = envelope('media-node', '0.1.0');
    const body = { 'Error-Message': 'NO_ANSWER', 'Custom-Channel-Vars': { 'Account-ID': 'acc' } };
    const byOutbound = buildMessage(callEvents.originate_failed, { ...body, 'Outbound-Call-IDs': ['x.1'] }, defaults);
    expect(callEvents.originate_failed.routingKey(byOutbound)).toBe('call.originate_failed.x%2E1');
    const byMsg = buildMessage(callEvents.originate_failed, { ...body, 'Msg-ID': 'req-9' }, defaults);
    expect(callEvents.originate_failed.routingKey(byMsg)).toBe('call.originate_failed.req-9');
  });

  it('narrows the CallEvent union on Event-Name', () => {
    const result = parseMessage(callEvents.CHANNEL_DESTROY, sample('CHANNEL_DESTROY'));
    if (!result.ok) throw result.error;
    const event: CallEvent = result.value;
    const cause = event['Event-Name'] === 'CHANNEL_DESTROY' ? event['Hangup-Cause'] : undefined;
    expect(cause).toBe('NORMAL_CLEARING');
    expect(isCallEventName('CHANNEL_DESTROY')).toBe(true);
    expect(isCallEventName('toString')).toBe(false);
  });
});
