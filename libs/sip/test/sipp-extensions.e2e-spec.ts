import { join } from 'node:path';
import type { Dialog } from '../src/dialog/dialog';
import { createTransportLayer } from '../src/transport/transport-layer';
import type { SipTransportLayer } from '../src/transport/transport.types';
import type { IncomingInvite } from '../src/ua/incoming-invite';
import { SipStack } from '../src/ua/sip-stack';
import { SCENARIOS, SDP, killAllSipp, runSipp } from './sipp.test-helpers';

jest.setTimeout(60_000);

/** Our UAS against a sipp UAC that requires RFC 3262 and asks for RFC 4028. */
describe('sipp UAC requiring 100rel', () => {
  let transport: SipTransportLayer;
  let stack: SipStack;

  beforeEach(async () => {
    transport = await createTransportLayer({ udp: { host: '127.0.0.1', port: 0 } });
    stack = new SipStack({ transport, timers: { T1: 100 }, userAgent: 'legwork-test' });
  });

  afterEach(async () => {
    killAllSipp();
    await stack.close();
    await transport.close();
  });

  it('sends its 183 reliably, takes the PRACK, answers after it with a session interval, and ends on the BYE', async () => {
    const seen: IncomingInvite[] = [];
    const dialogs: Dialog[] = [];
    stack.onRequest('INVITE', async (inv) => {
      seen.push(inv);
      await inv.progress(183, { body: SDP });
      dialogs.push(await inv.accept({ body: SDP }));
    });
    const port = transport.listening()[0]!.port;
    const { code, output } = await runSipp(['-sf', join(SCENARIOS, 'uac-100rel.xml'), `127.0.0.1:${port}`, '-t', 'u1', '-m', '1'], 30);
    if (code !== 0) throw new Error(`sipp exited ${String(code)}:\n${output.slice(0, 4000)}`);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.pracks.map((p) => p.headers.get('rack'))).toEqual([expect.stringMatching(/^\d+ 1 INVITE$/)]);
    expect(dialogs[0]?.state).toBe('terminated');
    expect(stack.stats().dialogs).toBe(0);
  });
});
