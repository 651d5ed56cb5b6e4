import { MissingRouteError } from './contract.error';
import { buildMessage, envelope } from './envelope.contract';
import { originateError } from './originate-error.contract';
import { originateExecute } from './originate-execute.contract';
import { originateReady } from './originate-ready.contract';
import { originateResponse } from './originate-response.contract';
import { originateStarted } from './originate-started.contract';
import { originateUuid } from './originate-uuid.contract';
import { kazooQuickcallErrorReply } from './testing';
import { parseMessage } from './validate';

const ecallmgr = { 'App-Name': 'ecallmgr', 'App-Version': '4.3.0', Node: 'ecallmgr@fs1.example.com', 'Msg-ID': 'req-1' };

describe('originate replies', () => {
  it('accepts a Kazoo originate_uuid and requires Outbound-Call-ID', () => {
    const raw = { ...ecallmgr, 'Event-Category': 'resource', 'Event-Name': 'originate_uuid', 'Outbound-Call-ID': 'abc-quickcall', 'Outbound-Call-Control-Queue': 'ecallmgr_abc_control' };
    expect(parseMessage(originateUuid, raw).ok).toBe(true);
    const bad = parseMessage(originateUuid, { ...raw, 'Outbound-Call-ID': undefined });
    expect(bad.ok ? [] : bad.error.issues).toEqual([{ field: 'Outbound-Call-ID', rule: 'is required' }]);
  });

  it('accepts a Kazoo originate_started with CCVs and requires Call-ID', () => {
    const raw = { ...ecallmgr, 'Event-Category': 'resource', 'Event-Name': 'originate_started', 'Call-ID': 'abc-quickcall', 'Channel-Call-State': 'RINGING', 'Custom-Channel-Vars': { 'Account-ID': 'acc' } };
    expect(parseMessage(originateStarted, raw).ok).toBe(true);
    expect(parseMessage(originateStarted, { ...raw, 'Call-ID': undefined }).ok).toBe(false);
  });

  it('accepts a successful originate_resp', () => {
    const raw = { ...ecallmgr, 'Event-Category': 'resource', 'Event-Name': 'originate_resp', 'Call-ID': 'abc-quickcall', 'Application-Response': 'SUCCESS', 'Channel-Name': 'sofia/sipinterface_1/1001@acme.example.com' };
    const result = parseMessage(originateResponse, raw);
    expect(result.ok && result.value['Application-Response']).toBe('SUCCESS');
  });

  it('accepts the error reply of a failed quickcall with the request echoed', () => {
    const result = parseMessage(originateError, kazooQuickcallErrorReply());
    expect(result.ok && result.value['Error-Message']).toBe('DESTINATION_OUT_OF_ORDER');
    expect(result.ok && result.value.Request?.['Event-Name']).toBe('originate_req');
  });

  it('tells an error reply from a success reply by Event-Category', () => {
    const wrong = parseMessage(originateResponse, kazooQuickcallErrorReply());
    expect(wrong.ok ? [] : wrong.error.issues.map((i) => i.field)).toEqual(['Event-Category', 'Call-ID']);
    const noMessage = parseMessage(originateError, { ...kazooQuickcallErrorReply(), 'Error-Message': undefined });
    expect(noMessage.ok ? [] : noMessage.error.issues.map((i) => i.field)).toEqual(['Error-Message']);
  });

  it('carries the handshake of a park: originate_ready (Call-ID, Control-Queue) and originate_execute (Call-ID), both dialplan, on targeted', () => {
    const ready = { ...ecallmgr, 'Event-Category': 'dialplan', 'Event-Name': 'originate_ready', 'Server-ID': 'ecallmgr-originate-q', 'Call-ID': 'abc', 'Control-Queue': 'callctl.node-1' };
    expect(parseMessage(originateReady, ready).ok).toBe(true);
    const noQueue = parseMessage(originateReady, { ...ready, 'Control-Queue': undefined });
    expect(noQueue.ok ? [] : noQueue.error.issues).toEqual([{ field: 'Control-Queue', rule: 'is required' }]);
    const execute = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3', 'Event-Category': 'dialplan', 'Event-Name': 'originate_execute', 'Msg-ID': 'req-1', 'Server-ID': 'tool-q', 'Call-ID': 'abc' };
    expect(parseMessage(originateExecute, execute).ok).toBe(true);
    expect(parseMessage(originateExecute, { ...execute, 'Call-ID': '' }).ok).toBe(false);
    expect([originateReady.exchange, originateExecute.exchange]).toEqual(['targeted', 'targeted']);
    expect(originateExecute.routingKey(buildMessage(originateExecute, { 'Call-ID': 'abc' }, envelope('tool', '1')), 'ecallmgr-originate-q')).toBe('ecallmgr-originate-q');
  });

  it('puts the Call-ID of the leg and the request Msg-ID on an error reply', () => {
    const err = buildMessage(originateError, { 'Error-Message': 'NO_ANSWER', 'Call-ID': 'leg-1', 'Msg-ID': 'req-1' }, envelope('media-node', '0.1.0'));
    expect(err).toMatchObject({ 'Call-ID': 'leg-1', 'Msg-ID': 'req-1', 'Event-Category': 'error' });
  });

  it("routes every reply to targeted by the requester's Server-ID", () => {
    const defaults = envelope('media-node', '0.1.0');
    const uuid = buildMessage(originateUuid, { 'Outbound-Call-ID': 'c-1' }, defaults);
    const err = buildMessage(originateError, { 'Error-Message': 'channel_limit_reached', 'Error-Code': 'channel_limit_reached' }, defaults);
    expect(originateUuid.routingKey(uuid, 'api-gateway.q.1')).toBe('api-gateway.q.1');
    expect(originateError.routingKey(err, 'api-gateway.q.1')).toBe('api-gateway.q.1');
    expect(originateError.exchange).toBe('targeted');
    expect(originateUuid.exchange).toBe('targeted');
    expect(() => originateUuid.routingKey(uuid)).toThrow(MissingRouteError);
    expect(originateStarted.exchange).toBe('targeted');
    expect(originateResponse.exchange).toBe('targeted');
  });
});
