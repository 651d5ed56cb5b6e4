import { waitFor } from '@legwork/common/testing';
import { type CallStore, createCallStore } from '@legwork/call-state';
import { type Directory, createDirectory } from '@legwork/directory';
import { createServer, type Server } from 'node:net';
import { answerDigestChallenge } from '../auth/digest-client';
import type { SipRequest } from '../message/sip-message';
import { createTransportLayer, type TransportLayer } from '../transport/transport-layer';
import type { SipProtocol, SipTarget } from '../transport/transport.types';
import { SipStack } from '../ua/sip-stack';
import { createSipServer, type RegisteredBindings, type SipServer } from './sip-server';

jest.setTimeout(20_000);

const REALM = 'bindings.legwork.test';
const AOR = `alice@${REALM}`;
const SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

interface Phone {
  transport: TransportLayer;
  stack: SipStack;
  port: number;
  invites: SipRequest[];
}

async function phone(protocol: 'udp' | 'tcp'): Promise<Phone> {
  const transport = await createTransportLayer({ [protocol]: { host: '127.0.0.1', port: 0 } });
  const stack = new SipStack({ transport, userAgent: 'test-phone' });
  const invites: SipRequest[] = [];
  stack.onRequest('INVITE', (inv) => {
    invites.push(inv.request);
    void inv.accept({ body: SDP }).catch(() => undefined);
  });
  return { transport, stack, port: transport.listening()[0].port, invites };
}

async function register(p: Phone, target: SipTarget, contact: string): Promise<number> {
  const base = { method: 'REGISTER', uri: `sip:${REALM}`, from: `<sip:alice@${REALM}>`, to: `<sip:alice@${REALM}>`, target };
  const headers: Array<[string, string]> = [['Contact', contact], ['Expires', '600']];
  const first = await p.stack.request({ ...base, headers });
  const challenge = first.headers.getAll('www-authenticate')[0];
  const authorization = challenge === undefined ? undefined : answerDigestChallenge({ challenge, method: 'REGISTER', uri: `sip:${REALM}`, username: 'alice', password: 'pw-alice' });
  if (authorization === undefined) throw new Error(`no usable challenge in ${first.status}`);
  return (await p.stack.request({ ...base, headers: [...headers, ['Authorization', authorization]] })).status;
}

/** A TCP listener that counts the connections it is offered. */
async function decoy(host: string): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('decoy not listening');
  return { server, port: address.port, connections: () => count };
}

describe('reaching registered bindings', () => {
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
  const call = (uri: string, target: SipTarget) => server.stack.invite({ uri, target, from: `<sip:legwork@${REALM}>`, to: `<sip:${AOR}>`, body: SDP }).final;

  beforeAll(async () => {
    directory = createDirectory();
    calls = createCallStore();
    const account = await directory.accounts.create({ name: 'bindings-test', realm: REALM });
    await directory.devices.create(account.id, { name: 'alice', sip: { username: 'alice', password: 'pw-alice' } });
    server = await createSipServer({ directory, calls, nodeId: 'node-a', secret: 'test-secret-0123456789', udpPort: 0, tcpPort: 0, timers: { T1: 50 } });
  });

  afterEach(async () => {
    for (const p of phones.splice(0)) {
      await p.stack.close();
      await p.transport.close();
    }
    await calls.registrations.removeAll(AOR);
  });

  afterAll(async () => {
    await server.close();
    await calls.close();
    await directory.close();
  });

  it("never connects to the host a TCP binding's Contact names once its connection closed: only its source address is tried", async () => {
    const elsewhere = await decoy('127.0.0.2');
    try {
      const p = await newPhone('tcp');
      expect(await register(p, serverTarget('tcp'), `<sip:alice@127.0.0.2:${elsewhere.port};transport=tcp>`)).toBe(200);
      const [binding] = await calls.registrations.list(AOR);
      const flows = server.transport.flowCount();
      await p.stack.close();
      await p.transport.close();
      await waitFor(() => server.transport.flowCount() < flows, { message: 'the phone connection to close' });
      const reachable = await server.contactsFor(AOR);
      const outcome = await call(reachable[0]?.requestUri ?? reachable[0]?.contact.uri ?? '', reachable[0]?.target ?? serverTarget('tcp'));
      expect(elsewhere.connections()).toBe(0);
      expect(outcome.kind).toBe('failed');
      expect(reachable.map((r) => r.target)).toEqual([{ protocol: 'tcp', host: '127.0.0.1', port: Number(binding?.source?.split(':')[1]) }]);
    } finally {
      elsewhere.server.close();
    }
  });

  it('drops URI headers, maddr, ttl and method from a registered Contact when it becomes a Request-URI', async () => {
    const p = await newPhone('udp');
    const contact = `<sip:alice@127.0.0.1:${p.port};maddr=127.0.0.9;ttl=1;method=REGISTER;ob?Route=%3Csip:evil@127.0.0.9;lr%3E&Subject=hi>`;
    expect(await register(p, serverTarget('udp'), contact)).toBe(200);
    const [reachable] = await server.contactsFor(AOR);
    expect(reachable?.contact.uri).toContain('?Route=');
    expect(reachable?.requestUri).toBe(`sip:alice@127.0.0.1:${p.port};ob`);
    expect(reachable?.target).toEqual({ protocol: 'udp', host: '127.0.0.1', port: p.port });
    const outcome = await call(reachable?.requestUri ?? '', reachable?.target ?? serverTarget('udp'));
    if (outcome.kind !== 'accepted') throw new Error(`call ${outcome.kind}`);
    expect(p.invites.map((i) => [i.uri, i.headers.getAll('route'), i.headers.get('subject')])).toEqual([[`sip:alice@127.0.0.1:${p.port};ob`, [], undefined]]);
    expect((await outcome.dialog.bye()).status).toBe(200);
  });

  it('tells its registration listeners of the bindings a REGISTER wrote, with their push parameters, after the 200', async () => {
    const seen: RegisteredBindings[] = [];
    server.onRegistered((r) => seen.push(r));
    server.onRegistered(() => {
      throw new Error('a faulty listener');
    });
    const p = await newPhone('udp');
    expect(await register(p, serverTarget('udp'), `<sip:alice@127.0.0.1:${p.port};pn-provider=apns;pn-prid=tok-42;pn-param=TEAM.com.example.voip>`)).toBe(200);
    await waitFor(() => seen.length === 1, { message: 'the listener call' });
    expect(seen[0]?.aor).toBe(AOR);
    expect(seen[0]?.bindings).toEqual([expect.objectContaining({ nodeId: 'node-a', transport: 'udp', pushProvider: 'apns', pushPrid: 'tok-42', pushParam: 'TEAM.com.example.voip' })]);
  });
});
