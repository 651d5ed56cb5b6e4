import { buildMessage, envelope } from './envelope.contract';
import { identifyMessage } from './messages';
import { pushRequest } from './push-request.contract';
import { pushResponse } from './push-response.contract';
import { parseMessage } from './validate';

const body = { 'Call-ID': 'abc@10.0.0.1', 'Account-ID': 'acct', 'Device-ID': 'dev', 'Push-Provider': 'xon', 'Push-PRID': 'c1a21fce', 'Push-Kind': 'call' as const, 'Caller-ID-Name': 'Dr Who' };

describe('push_req and push_resp', () => {
  it('goes on callmgr to the shared key, or to one node with a target; the reply goes to the Server-ID', () => {
    const msg = buildMessage(pushRequest, body, envelope('legwork-api-gateway', '0.1.0', 'gw-1'));
    expect(identifyMessage(msg)).toBe(pushRequest);
    expect([pushRequest.exchange, pushRequest.routingKey(msg), pushRequest.routingKey(msg, 'media.1')]).toEqual(['callmgr', 'push.req', 'push.req.media%2E1']);
    const reply = buildMessage(pushResponse, { 'Call-ID': 'abc@10.0.0.1', Result: 'sent', 'Held-Leg': false }, envelope('legwork-media-node', '0.1.0', 'media-1'));
    expect(identifyMessage(reply)).toBe(pushResponse);
    expect(pushResponse.routingKey(reply, 'gw-server')).toBe('gw-server');
  });

  it('refuses a cancel without its reason, an unknown reason, and a Call-ID or caller name that would break SIP', () => {
    const env = buildMessage(pushRequest, body, envelope('legwork-api-gateway', '0.1.0'));
    const paths = (raw: Record<string, unknown>): unknown[] => {
      const parsed = parseMessage(pushRequest, raw);
      return parsed.ok ? [] : parsed.error.issues.map((i) => i.field);
    };
    expect(paths({ ...env, 'Push-Kind': 'cancel' })).toEqual(['Push-Reason']);
    expect(paths({ ...env, 'Push-Kind': 'cancel', 'Push-Reason': 'bored' })).toEqual(['Push-Reason']);
    expect(paths({ ...env, 'Call-ID': 'a b\r\nX: y' })).toEqual(['Call-ID']);
    expect(paths({ ...env, 'Caller-ID-Name': 'x\u0000' })).toEqual(['Caller-ID-Name']);
    expect(paths({ ...env, 'Push-Kind': 'cancel', 'Push-Reason': 'answered_elsewhere' })).toEqual([]);
  });
});
