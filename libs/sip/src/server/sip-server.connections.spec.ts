import { waitFor } from '@legwork/common/testing';
import { type CallStore, createCallStore } from '@legwork/call-state';
import { type Directory, createDirectory } from '@legwork/directory';
import { answerDigestChallenge } from '../auth/digest-client';
import type { SipResponse } from '../message/sip-message';
import { createTransportLayer, type TransportLayer } from '../transport/transport-layer';
import type { SipTarget } from '../transport/transport.types';

import { SipStack } from '../ua/sip-stack';
import { createSipServer, type SipServer } from './sip-server';

const REALM = 'flows.legwork.test';

/** The server marks the flows that carry a registration: they keep the long idle limit, every other one gets the short one. */
describe('SIP server: idle limits follow registrations', () => {
  let directory: Directory;
  let calls: CallStore;
  let server: SipServer;
  let target: SipTarget;
  const phones: Array<{ transport: TransportLayer; stack: SipStack }> = [];

  async function phone(): Promise<SipStack> {
    const transport = await createTransportLayer({ tcp: { host: '127.0.0.1', port: 0 } });
    const stack = new SipStack({ transport });
    phones.push({ transport, stack });
    return stack;
  }

  async function register(stack: SipStack, expires: number): Promise<SipResponse> {
    const base = { method: 'REGISTER', uri: `sip:${REALM}`, from: `<sip:alice@${REALM}>`, to: `<sip:alice@${REALM}>`, target };
    const headers: Array<[string, string]> = [['Contact', '<sip:alice@127.0.0.1:9;transport=tcp>'], ['Expires', String(expires)]];
    const first = await stack.request({ ...base, headers });
    const challenge = first.headers.get('www-authenticate') ?? '';
    const authorization = answerDigestChallenge({ challenge, method: 'REGISTER', uri: `sip:${REALM}`, username: 'alice', password: 'pw-alice' });
    if (authorization === undefined) throw new Error(`no challenge to answer (${first.status})`);
    return stack.request({ ...base, headers: [...headers, ['Authorization', authorization]] });
  }

  beforeAll(async () => {
    directory = createDirectory();
    calls = createCallStore();
    const account = await directory.accounts.create({ name: 'flows-test', realm: REALM });
    await directory.devices.create(account.id, { name: 'alice', sip: { username: 'alice', password: 'pw-alice' } });
    server = await createSipServer({
      directory,
      calls,
      nodeId: 'node-flows',
      secret: 'test-secret-0123456789',
      tcpPort: 0,
      registrar: { algorithms: ['MD5'] },
      connections: { unregisteredIdleTimeoutMs: 400, idleTimeoutMs: 60_000 },
    });
    const tcp = server.listening().find((l) => l.protocol === 'tcp');
    if (tcp === undefined) throw new Error('no tcp listener');
    target = { protocol: 'tcp', host: tcp.address, port: tcp.port };
  });

  afterAll(async () => {
    for (const p of phones) {
      await p.stack.close();
      await p.transport.close();
    }
    await server.close();
    await calls.close();
    await directory.close();
  });

  it('closes the connection of a peer that only asked OPTIONS, keeps the registered one, and lets it go once unregistered', async () => {
    const registered = await phone();
    expect((await register(registered, 600)).status).toBe(200);
    const passerby = await phone();
    expect((await passerby.request({ method: 'OPTIONS', uri: `sip:${REALM}`, from: '<sip:probe@127.0.0.1>', to: `<sip:${REALM}>`, target })).status).toBe(200);
    expect(server.transport.flowCount()).toBe(2);

    await waitFor(() => server.transport.stats().closedIdle === 1, { timeoutMs: 3_000 });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(server.transport.flowCount()).toBe(1);
    expect(await calls.registrations.list(`alice@${REALM}`)).toHaveLength(1);

    // the last binding leaves the flow: it is an ordinary connection again
    expect((await register(registered, 0)).status).toBe(200);
    await waitFor(() => server.transport.flowCount() === 0, { timeoutMs: 3_000 });
    expect(server.transport.stats().closedIdle).toBe(2);
  });
});
