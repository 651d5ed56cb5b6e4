import { type CallStore, ManualClock, createCallStore } from '@legwork/call-state';
import { type Directory, createDirectory } from '@legwork/directory';
import { createRequest } from '../message/sip-builders';
import { Registrar } from './registrar';
import { RegistrarError } from './registrar.errors';
import { RegisterClient, header, udpSource } from './testing/register-client';

describe('Registrar edges', () => {
  let directory: Directory;
  let calls: CallStore;
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const realm = 'edges.legwork.test';

  beforeAll(async () => {
    directory = createDirectory();
    calls = createCallStore({ clock });
    const account = await directory.accounts.create({ name: 'edges', realm });
    await directory.devices.create(account.id, { name: 'alice', sip: { username: 'alice', password: 'pw-alice' } });
  });

  afterAll(async () => {
    await calls.close();
    await directory.close();
  });

  const make = (extra: Partial<ConstructorParameters<typeof Registrar>[0]> = {}) => new Registrar({ directory, calls, nodeId: 'n1', secret: 'edge-secret-0123456789', clock, ...extra });

  it('rejects bad options with a typed error', () => {
    expect(() => make({ secret: 'short' })).toThrow(RegistrarError);
    expect(() => make({ minExpires: 600, maxExpires: 60 })).toThrow(RegistrarError);
    expect(() => make({ nodeId: '' })).toThrow(expect.objectContaining({ code: 'invalid_config' }));
  });

  it('answers 405 to anything but REGISTER', async () => {
    const options = createRequest({ method: 'OPTIONS', uri: `sip:${realm}`, from: `<sip:a@${realm}>;tag=1`, to: `<sip:a@${realm}>`, callId: 'c', cseq: 1 });
    const reply = await make().handle(options, udpSource);
    expect(reply.status).toBe(405);
    expect(header(reply, 'Allow')).toEqual(['REGISTER']);
  });

  it('stores push parameters without Feature-Caps when it does not handle push (no pushProviders)', async () => {
    const ua = new RegisterClient(make(), 'alice', realm, 'pw-alice');
    const reply = await ua.register({ contacts: ['<sip:alice@192.0.2.9;pn-provider=webpush;pn-prid=tok%3A1>'] });
    expect(reply.status).toBe(200);
    expect(header(reply, 'Feature-Caps')).toEqual([]);
    expect(reply.bindings?.[0]).toMatchObject({ pushProvider: 'webpush', pushPrid: 'tok:1' });
  });

  it("RFC 8599 §5.4: with no push service every pn-provider is 555 and nothing is bound; '*' takes any provider", async () => {
    const contact = '<sip:alice@192.0.2.9;pn-provider=webpush;pn-prid=tok%3A2>';
    const none = new RegisterClient(make({ pushProviders: [] }), 'alice', realm, 'pw-alice');
    const refused = await none.register({ contacts: [contact] });
    expect([refused.status, refused.reason]).toEqual([555, 'Push Notification Service Not Supported']);
    expect(await calls.registrations.findByPushPrid('tok:2')).toEqual([]);
    const any = await new RegisterClient(make({ pushProviders: ['*'] }), 'alice', realm, 'pw-alice').register({ contacts: [contact] });
    expect(any.status).toBe(200);
    expect(header(any, 'Feature-Caps')).toEqual(['*;+sip.pns="webpush"']);
  });

  it('accepts a digest-uri naming the next hop unless told to be strict', async () => {
    for (const [strictDigestUri, status] of [[false, 200], [true, 401]] as const) {
      const ua = new RegisterClient(make({ strictDigestUri }), 'alice', realm, 'pw-alice');
      const challenge = header(await ua.send({ contacts: ['<sip:alice@192.0.2.9>'] }), 'WWW-Authenticate')[0];
      const reply = await ua.send({ contacts: ['<sip:alice@192.0.2.9>'], authorization: ua.answer(challenge, 'pw-alice', 'sip:127.0.0.1:5060') });
      expect(reply.status).toBe(status);
    }
  });

  it('turns a store failure into 500 with Retry-After instead of throwing', async () => {
    const down = () => Promise.reject(new Error('backend down'));
    const broken: CallStore = {
      ...calls,
      registrations: { upsert: down, bind: down, remove: down, removeAll: down, list: down, findByPushPrid: down, lastPush: down },
    };
    const ua = new RegisterClient(new Registrar({ directory, calls: broken, nodeId: 'n1', secret: 'edge-secret-0123456789', clock }), 'alice', realm, 'pw-alice');
    const reply = await ua.register({ contacts: ['<sip:alice@192.0.2.9>'] });
    expect(reply.status).toBe(500);
    expect(header(reply, 'Retry-After')).toEqual(['5']);
  });
});
