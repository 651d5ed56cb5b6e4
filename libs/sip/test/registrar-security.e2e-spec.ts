import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account } from '@legwork/directory';
import type { SipServer } from '../src/server/sip-server';
import { type Backend, type NodeStores, accountWithPhones, capturingLogger, openStores, startNode, udpAddress } from './registrar-security.fixture';
import { killAllSipp, runSipp } from '../src/testing';
import { SCENARIOS } from './sipp.test-helpers';
import { type UdpReply, UdpRegisterClient } from './udp-register.client';

jest.setTimeout(60_000);

const LIMIT = 5;
const PASSWORD = 'alice-right-pa55';

/** Status and reason of each answer sipp received to its authenticated REGISTER (CSeq 2), in order. */
function answersToGuesses(messageLog: string): string[] {
  return messageLog
    .split(/^-{10,}.*$/m)
    .filter((block) => /message received/.test(block) && /^CSeq:\s*2 REGISTER/im.test(block))
    .map((block) => /SIP\/2\.0 (\d{3} [^\r\n]*)/.exec(block)?.[1] ?? '?');
}

/** The wire response with what differs by design between two requests made the same way blanked out. */
function normalized(reply: UdpReply, names: { user: string; domain: string }, blank: Array<'nonce' | 'opaque'>): string {
  let text = reply.raw.split(names.domain).join('DOMAIN').split(`sip:${names.user}@`).join('sip:USER@');
  text = text.replace(/branch=[^;\r\n]+/g, 'branch=B').replace(/tag=[^;\r\n>]+/g, 'tag=T').replace(/^Call-ID: .*$/gim, 'Call-ID: C');
  for (const field of blank) text = text.replace(new RegExp(`${field}="[^"]*"`, 'g'), `${field}="*"`);
  return text;
}

describe.each<Backend>(['in-process', 'redis'])('registrar security over UDP (%s stores)', (backend) => {
  const logged: string[] = [];
  let cleanup: () => Promise<void>;
  let stores: NodeStores[];
  let nodeA: SipServer;
  let nodeB: SipServer;
  let account: Account;
  const clients: UdpRegisterClient[] = [];
  const client = async (host: string, node = nodeA) => {
    const c = await UdpRegisterClient.open(host, udpAddress(node));
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    // a per-username limit far above the per-source one: these tests are about the source
    const opened = openStores(backend, 2, { logger: capturingLogger(logged), authThrottle: { sourceFailures: LIMIT, sourceWindowSeconds: 60, userFailures: 1000, userWindowSeconds: 60, blockSeconds: 60 } });
    stores = opened.stores;
    cleanup = opened.cleanup;
    account = await accountWithPhones(stores[0].directory, { alice: PASSWORD, bob: 'bob-pa55' });
    nodeA = await startNode(stores[0], 'node-a');
    nodeB = await startNode(stores[1], 'node-b');
  });

  afterAll(async () => {
    killAllSipp();
    for (const c of clients) await c.close();
    await nodeA.close();
    await nodeB.close();
    await cleanup();
  });

  it('answers sipp guessing passwords from one socket with 401 up to the limit, then 403, even for the right password', async () => {
    const guess = async (password: string, calls: number): Promise<string[]> => {
      const messageFile = join(tmpdir(), `sipp-guess-${randomBytes(4).toString('hex')}.log`);
      const { host, port } = udpAddress(nodeA);
      const args = [`${host}:${port}`, '-sf', join(SCENARIOS, 'register-guess.xml'), '-t', 'u1', '-m', String(calls), '-l', '1', '-r', '100'];
      const run = await runSipp([...args, '-s', 'alice', '-au', 'alice', '-ap', password, '-set', 'domain', account.realm, '-trace_msg', '-message_file', messageFile]);
      try {
        if (run.code !== 0) throw new Error(`sipp exited ${String(run.code)}:\n${run.output.slice(-2000)}`);
        return answersToGuesses(readFileSync(messageFile, 'utf8'));
      } finally {
        rmSync(messageFile, { force: true });
      }
    };
    const answers = await guess('not-the-password', LIMIT * 4);
    expect(answers).toEqual([...Array(LIMIT).fill('401 Unauthorized'), ...Array(LIMIT * 3).fill('403 Too Many Failed Attempts')]);
    expect(await guess(PASSWORD, 1)).toEqual(['403 Too Many Failed Attempts']);
    expect(logged.filter((l) => l.startsWith('auth failure surface=sip source=127.0.0.1 '))).toHaveLength(LIMIT);
  });

  it('refuses a password-guessing burst from one source with 403 once over the limit, the right password included, while another source still registers', async () => {
    const attacker = await client('127.0.0.7');
    const statuses: Array<[number, string]> = [];
    for (let i = 0; i < LIMIT * 4; i++) {
      const { final } = await attacker.register({ user: 'alice', domain: account.realm }, `guess-${i}`);
      statuses.push([final.response.status, final.response.reason]);
    }
    expect(statuses.slice(0, LIMIT).map(([s]) => s)).toEqual(Array(LIMIT).fill(401));
    for (const [status, reason] of statuses.slice(LIMIT)) {
      expect(status).toBe(403);
      expect(reason).toMatch(/too many failed/i);
    }
    const right = await attacker.register({ user: 'alice', domain: account.realm }, PASSWORD);
    expect([right.final.response.status, right.final.response.reason]).toEqual([403, expect.stringMatching(/too many failed/i)]);
    const elsewhere = await client('127.0.0.2');
    expect((await elsewhere.register({ user: 'alice', domain: account.realm }, PASSWORD)).final.response.status).toBe(200);
    const failures = logged.filter((l) => l.startsWith('auth failure surface=sip source=127.0.0.7 '));
    expect(failures).toEqual(Array(LIMIT).fill(`auth failure surface=sip source=127.0.0.7 username=alice realm=${account.realm} reason=wrong_password`));
  });

  it('answers an unknown user and an unknown domain byte for byte like a wrong password, apart from nonces', async () => {
    const probe = await client('127.0.0.3');
    const wrong = await probe.register({ user: 'alice', domain: account.realm, cseq: 1 }, 'not-it');
    const ghost = await probe.register({ user: 'zed', domain: account.realm, cseq: 1 }, 'not-it');
    const nowhere = `nowhere${account.realm}`;
    const stranger = await probe.register({ user: 'alice', domain: nowhere, cseq: 1 }, 'not-it');
    expect([wrong.final.response.status, ghost.final.response.status, stranger.final.response.status]).toEqual([401, 401, 401]);
    const alice = { user: 'alice', domain: account.realm };
    for (const step of ['challenge', 'final'] as const) {
      expect(normalized(ghost[step], { user: 'zed', domain: account.realm }, ['nonce'])).toBe(normalized(wrong[step], alice, ['nonce']));
      // the opaque is a per-realm constant: another realm has another one, of the same shape
      expect(normalized(stranger[step], { user: 'alice', domain: nowhere }, ['nonce', 'opaque'])).toBe(normalized(wrong[step], alice, ['nonce', 'opaque']));
    }
    const lines = logged.filter((l) => l.startsWith('auth failure surface=sip source=127.0.0.3 '));
    expect(lines).toEqual([
      `auth failure surface=sip source=127.0.0.3 username=alice realm=${account.realm} reason=wrong_password`,
      `auth failure surface=sip source=127.0.0.3 username=zed realm=${account.realm} reason=unknown_user`,
      `auth failure surface=sip source=127.0.0.3 username=alice realm=${nowhere} reason=unknown_realm`,
    ]);
  });

  it('refuses a captured Authorization replayed to another node with a new Call-ID and the attacker\'s Contact', async () => {
    const victim = await client('127.0.0.4');
    const captured = await victim.register({ user: 'bob', domain: account.realm, contacts: ['<sip:bob@127.0.0.4:5099>'], expires: 600 }, 'bob-pa55');
    expect(captured.final.response.status).toBe(200);
    const authorization = victim.lastAuthorization;
    const attacker = await client('127.0.0.5', nodeB);
    const replay = await attacker.send({ user: 'bob', domain: account.realm, contacts: ['<sip:evil@127.0.0.5:5099>'], expires: 600, authorization });
    expect(replay.response.status).toBe(401);
    const bound = (await stores[1].calls.registrations.list(`bob@${account.realm}`)).map((c) => c.uri);
    expect(bound).toEqual(['sip:bob@127.0.0.4:5099']);
  });

  it('keeps at most 10 contacts per AOR by default, replacing the oldest, and refuses one REGISTER carrying more', async () => {
    const phone = await client('127.0.0.6');
    let last: UdpReply | undefined;
    for (let i = 0; i < 30; i++) {
      last = (await phone.register({ user: 'bob', domain: account.realm, contacts: [`<sip:bob@127.0.0.6:${6000 + i}>`], expires: 600 }, 'bob-pa55')).final;
      expect(last.response.status).toBe(200);
    }
    const contacts = last?.response.headers.getAll('contact') ?? [];
    expect(contacts).toHaveLength(10);
    expect(contacts.some((c) => c.includes('127.0.0.6:6029'))).toBe(true);
    const bound = (await stores[0].calls.registrations.list(`bob@${account.realm}`)).map((c) => c.uri).sort();
    expect(bound).toEqual(Array.from({ length: 10 }, (_, i) => `sip:bob@127.0.0.6:${6020 + i}`).sort());
    const many = Array.from({ length: 11 }, (_, i) => `<sip:bob@127.0.0.6:${7000 + i}>`);
    const refused = (await phone.register({ user: 'bob', domain: account.realm, contacts: many, expires: 600 }, 'bob-pa55')).final;
    expect([refused.response.status, refused.response.reason]).toEqual([403, 'Too Many Contacts']);
  });
});
