import { buildMessage, envelope } from './envelope.contract';
import { bindingRegistered } from './binding-registered.contract';
import { identifyMessage } from './messages';
import { parseMessage } from './validate';

const body = {
  AOR: 'alice@acme.legwork.test', Realm: 'acme.legwork.test', Username: 'alice', Contact: 'sip:alice@10.0.0.9:5062;pn-provider=apns;pn-prid=a1b2',
  Transport: 'udp' as const, 'Owner-Node': 'media-2', 'Push-Provider': 'apns', 'Push-PRID': 'a1b2', 'Expires-At': 1_800_000_000_000,
};

describe('binding_registered', () => {
  it('is routed by realm on callevt, away from the call.*.* keys', () => {
    const msg = buildMessage(bindingRegistered, body, envelope('legwork-media-node', '0.1.0', 'media-2'));
    expect(bindingRegistered.exchange).toBe('callevt');
    expect(bindingRegistered.routingKey(msg)).toBe('registration.binding.acme%2Elegwork%2Etest');
    expect(identifyMessage(msg)).toBe(bindingRegistered);
  });

  it('names the field that is wrong', () => {
    const msg = { ...buildMessage(bindingRegistered, body, envelope('legwork-media-node', '0.1.0', 'media-2')), Transport: 'carrier-pigeon', 'Owner-Node': '' };
    const result = parseMessage(bindingRegistered, msg);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues.map((i) => i.field).sort()).toEqual(['Owner-Node', 'Transport']);
  });
});
