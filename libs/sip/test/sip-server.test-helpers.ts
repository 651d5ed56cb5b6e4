import { type CallStore, createCallStore } from '@legwork/call-state';
import { type Directory, createDirectory } from '@legwork/directory';
import { createSipServer, type SipServer, type SipServerOptions } from '../src/server/sip-server';
import type { SipProtocol } from '../src/transport/transport.types';

export const SDP_OFFER = ['v=0', 'o=legwork 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0 8', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', ''].join('\r\n');

export interface ServerFixture {
  server: SipServer;
  directory: Directory;
  calls: CallStore;
  /** Statuses the registrar answered, in order. */
  registerStatuses: number[];
  port(protocol: SipProtocol): number;
  close(): Promise<void>;
}

/** A SIP server over an in-process directory and call store, with one account and one device. */
export async function startServerWithDevice(opts: { realm: string; username: string; password: string; listen: Pick<SipServerOptions, 'udpPort' | 'tcpPort' | 'wsPort'> }): Promise<ServerFixture> {
  const directory = createDirectory();
  const calls = createCallStore();
  const account = await directory.accounts.create({ name: `acct-${opts.username}`, realm: opts.realm });
  await directory.devices.create(account.id, { name: opts.username, sip: { username: opts.username, password: opts.password } });
  const server = await createSipServer({ ...opts.listen, directory, calls, nodeId: 'e2e-node', secret: 'e2e-secret-0123456789abcdef', registrar: { algorithms: ['MD5'] }, timers: { T1: 200 } });
  const registerStatuses: number[] = [];
  const handle = server.registrar.handle.bind(server.registrar);
  // record what the registrar answered without changing it
  jest.spyOn(server.registrar, 'handle').mockImplementation(async (request, source) => {
    const reply = await handle(request, source);
    registerStatuses.push(reply.status);
    return reply;
  });
  return {
    server,
    directory,
    calls,
    registerStatuses,
    port(protocol) {
      const entry = server.listening().find((l) => l.protocol === protocol);
      if (entry === undefined) throw new Error(`no ${protocol} listener`);
      return entry.port;
    },
    async close() {
      await server.close();
      await calls.close();
      await directory.close();
    },
  };
}
