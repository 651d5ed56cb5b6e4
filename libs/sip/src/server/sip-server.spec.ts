import { waitFor } from '@legwork/common/testing';
import { type CallStore, createCallStore } from '@legwork/call-state';
import { type Directory, createDirectory } from '@legwork/directory';
import { answerDigestChallenge } from '../auth/digest-client';
import type { SipResponse } from '../message/sip-message';
import { RegistrarError } from '../registrar/registrar.errors';
import { createTransportLayer, type TransportLayer } from '../transport/transport-layer';
import type { SipProtocol, SipTarget } from '../transport/transport.types';
import { SipStack } from '../ua/sip-stack';
import { createSipServer, type SipServer } from './sip-server';
import { SipServerError } from './sip-server.errors';

jest.setTimeout(20_000);

const REALM = 'server.legwork.test';
const SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

interface Phone {
  transport: TransportLayer;
  stack: SipStack;
  port: number;
}

async function phone(protocol: 'udp' | 'tcp'): Promise<Phone> {
  const transport = await createTransportLayer({ [protocol]: { host: '127.0.0.1', port: 0 } });
  const stack = new SipStack({ transport, userAgent: 'test-phone' });
  return { transport, stack, port: transport.listening()[0].port };
}

/** REGISTER, answer the 401 with our own digest client, return both responses. */
async function register(p: Phone, target: SipTarget, contact: string, algorithm: 'MD5' | 'SHA-256' = 'MD5', password = 'pw-alice'): Promise<[SipResponse, SipResponse]> {
  const base = { method: 'REGISTER', uri: `sip:${REALM}`, from: `<sip:alice@${REALM}>`, to: `<sip:alice@${REALM}>`, target };
  const headers: Array<[string, string]> = [['Contact', contact], ['Expires', '600'], ['Supported', 'outbound']];
  const first = await p.stack.request({ ...base, headers });
  const challenge = first.headers.getAll('www-authenticate').find((c) => c.includes(`algorithm=${algorithm}`));
  if (challenge === undefined) throw new Error(`no ${algorithm} challenge in ${first.status}`);
  const authorization = answerDigestChallenge({ challenge, method: 'REGISTER', uri: `sip:${REALM}`, username: 'alice', password });
  if (authorization === undefined) throw new Error('cannot answer challenge');
  const second = await p.stack.request({ ...base, headers: [...headers, ['Authorization', authorization]] });
  return [first, second];
}

describe('createSipServer', () => {
  let directory: Directory;
  let calls: CallStore;
  let server: SipServer;
  const phones: Phone[] = [];

  const serverTarget = (protocol: SipProtocol): SipTarget => {
    const l = server.listening().find((x) => x.protocol === protocol);
    if (l === undefined) throw new Error(`no ${protocol}`);
    return { protocol, host: l.address, port: l.port };
  };
  const newPhone = async (protocol: 'udp' | 'tcp') => {
    const p = await phone(protocol);
    phones.push(p);
    return p;
  };

  beforeAll(async () => {
    directory = createDirectory();
    calls = createCallStore();
    const account = await directory.accounts.create({ name: 'server-test', realm: REALM });
    await directory.devices.create(account.id, { name: 'alice', sip: { username: 'alice', password: 'pw-alice' } });
    server = await createSipServer({ directory, calls, nodeId: 'node-a', secret: 'test-secret-0123456789', udpPort: 0, tcpPort: 0, registrar: { algorithms: ['SHA-256', 'MD5'] } });
  });

  afterEach(async () => {
    for (const p of phones.splice(0)) {
      await p.stack.close();
      await p.transport.close();
    }
    await calls.registrations.removeAll(`alice@${REALM}`);
  });

  afterAll(async () => {
    await server.close();
    await calls.close();
    await directory.close();
  });

  it('listens on each configured transport', () => {
    expect(server.listening().map((l) => l.protocol).sort()).toEqual(['tcp', 'udp']);
    expect(server.listening().every((l) => l.address === '127.0.0.1' && l.port > 0)).toBe(true);
  });

  it.each(['MD5', 'SHA-256'] as const)('challenges a REGISTER and stores the binding after a %s digest answer', async (algorithm) => {
    const p = await newPhone('udp');
    const [first, second] = await register(p, serverTarget('udp'), `<sip:alice@127.0.0.1:${p.port}>`, algorithm);
    expect(first.status).toBe(401);
    expect(second.status).toBe(200);
    expect(second.headers.getAll('contact').join()).toContain(`sip:alice@127.0.0.1:${p.port}`);
    const [binding] = await calls.registrations.list(`alice@${REALM}`);
    expect(binding).toMatchObject({ transport: 'udp', nodeId: 'node-a', source: `127.0.0.1:${p.port}` });
  });

  it('refuses a wrong password with another 401 and stores nothing', async () => {
    const p = await newPhone('udp');
    const [, second] = await register(p, serverTarget('udp'), `<sip:alice@127.0.0.1:${p.port}>`, 'MD5', 'wrong');
    expect(second.status).toBe(401);
    expect(await calls.registrations.list(`alice@${REALM}`)).toEqual([]);
  });

  it('answers OPTIONS keepalives with 200', async () => {
    const p = await newPhone('udp');
    const response = await p.stack.request({ method: 'OPTIONS', uri: `sip:${REALM}`, from: `<sip:alice@${REALM}>`, to: `<sip:${REALM}>`, target: serverTarget('udp') });
    expect(response.status).toBe(200);
    expect(response.headers.get('allow')).toContain('REGISTER');
  });

  it('calls a UDP binding at its registered source and completes INVITE, ACK and BYE', async () => {
    const p = await newPhone('udp');
    const acked: boolean[] = [];
    p.stack.onRequest('INVITE', (inv) => void inv.accept({ body: SDP }).then(() => acked.push(true)));
    await register(p, serverTarget('udp'), `<sip:alice@127.0.0.1:${p.port}>`);
    const [reachable] = await server.contactsFor(`alice@${REALM}`);
    expect(reachable.target).toEqual({ protocol: 'udp', host: '127.0.0.1', port: p.port });
    const outcome = await server.stack.invite({ uri: reachable.contact.uri, target: reachable.target, from: `<sip:legwork@${REALM}>`, to: `<sip:alice@${REALM}>`, body: SDP }).final;
    if (outcome.kind !== 'accepted') throw new Error(`call ${outcome.kind}`);
    expect(outcome.response.body.toString()).toContain('m=audio');
    await waitFor(async () => acked.length === 1, { message: 'the ACK' });
    expect((await outcome.dialog.bye()).status).toBe(200);
  });

  it('calls an outbound TCP binding over its own connection and drops the binding when the connection closes', async () => {
    const p = await newPhone('tcp');
    p.stack.onRequest('INVITE', (inv) => void inv.accept({ body: SDP }).catch(() => undefined));
    // the Contact names a port nobody listens on: only the flow reaches the phone
    const contact = '<sip:alice@127.0.0.1:9;transport=tcp>;+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000001>";reg-id=1';
    const [, ok] = await register(p, serverTarget('tcp'), contact);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('require')).toBe('outbound');
    const [reachable] = await server.contactsFor(`alice@${REALM}`);
    expect(reachable.target.flowId).toBe(reachable.contact.flowToken);
    expect(reachable.target.protocol).toBe('tcp');
    const outcome = await server.stack.invite({ uri: reachable.contact.uri, target: reachable.target, from: `<sip:legwork@${REALM}>`, to: `<sip:alice@${REALM}>`, body: SDP }).final;
    if (outcome.kind !== 'accepted') throw new Error(`call ${outcome.kind}`);
    expect((await outcome.dialog.bye()).status).toBe(200);

    await p.stack.close();
    await p.transport.close();
    await waitFor(async () => (await calls.registrations.list(`alice@${REALM}`)).length === 0, { message: 'the binding to go with its flow' });
    expect(server.targetForBinding(reachable.contact)).toBeUndefined();
  });

  it('validates options before binding any port', async () => {
    const deps = { directory, calls, nodeId: 'node-b', secret: 'test-secret-0123456789' };
    await expect(createSipServer({ ...deps })).rejects.toBeInstanceOf(SipServerError);
    await expect(createSipServer({ ...deps, udpPort: 70000 })).rejects.toMatchObject({ code: 'bad_config' });
    await expect(createSipServer({ ...deps, udpPort: 0, secret: 'short' })).rejects.toBeInstanceOf(RegistrarError);
  });
});
