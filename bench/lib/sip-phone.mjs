/* global Buffer, setTimeout, clearTimeout */
// A minimal UDP SIP phone for latency benches: registers users with digest (@legwork/sip's client answer), stamps each INVITE on arrival, rejects it.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import legworkSip from '@legwork/sip';

// The libs are CommonJS (swc), whose named exports Node cannot detect statically: take them off the default.
const { answerDigestChallenge } = legworkSip;
const header = (msg, name) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(msg)?.[1]?.trim();

/**
 * One UDP socket as many phones: `register(users)` binds them all at `platform` (host:port), every INVITE's arrival time
 * is kept by Call-ID in `invites` (with its request line) and the INVITE gets 486, so no media is set up.
 */
export async function startSipPhone({ platform, realm }) {
  const [host, port] = platform.split(':');
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  const local = `127.0.0.1:${sock.address().port}`;
  const invites = new Map();
  const pending = new Map();
  const send = (text) => sock.send(Buffer.from(text), Number(port), host);

  sock.on('message', (buf) => {
    const at = performance.now();
    const msg = buf.toString();
    const callId = header(msg, '(?:Call-ID|i)');
    if (msg.startsWith('INVITE ')) {
      if (!invites.has(callId)) invites.set(callId, { at, requestLine: msg.slice(0, msg.indexOf('\r\n')), to: header(msg, '(?:To|t)') });
      const vias = msg.split('\r\n').filter((l) => /^(Via|v):/i.test(l));
      const to = header(msg, '(?:To|t)');
      send([
        'SIP/2.0 486 Busy Here', ...vias, `From: ${header(msg, '(?:From|f)')}`, `To: ${to}${/;tag=/.test(to) ? '' : `;tag=${randomBytes(4).toString('hex')}`}`,
        `Call-ID: ${callId}`, `CSeq: ${header(msg, 'CSeq')}`, 'Content-Length: 0', '', '',
      ].join('\r\n'));
      return;
    }
    if (msg.startsWith('SIP/2.0 ')) pending.get(callId)?.(msg);
  });

  const registerOne = (user) => new Promise((resolve, reject) => {
    const callId = `${randomBytes(8).toString('hex')}@bench`;
    const uri = `sip:${realm}`;
    let cseq = 1;
    const request = (auth) => send([
      `REGISTER ${uri} SIP/2.0`, `Via: SIP/2.0/UDP ${local};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`, 'Max-Forwards: 70',
      `From: <sip:${user.username}@${realm}>;tag=${randomBytes(4).toString('hex')}`, `To: <sip:${user.username}@${realm}>`, `Call-ID: ${callId}`,
      `CSeq: ${cseq++} REGISTER`, `Contact: <sip:${user.username}@${local};transport=udp>`, 'Expires: 3600', ...(auth ? [`Authorization: ${auth}`] : []), 'Content-Length: 0', '', '',
    ].join('\r\n'));
    const timer = setTimeout(() => reject(new Error(`REGISTER ${user.username}: no final answer`)), 5000);
    pending.set(callId, (msg) => {
      const code = Number(msg.slice(8, 11));
      if (code < 200) return;
      const auth = code === 401 && cseq === 2 ? answerDigestChallenge({ challenge: header(msg, 'WWW-Authenticate') ?? '', method: 'REGISTER', uri, ...user }) : undefined;
      if (auth !== undefined) return request(auth);
      clearTimeout(timer);
      pending.delete(callId);
      if (code === 200) resolve();
      else reject(new Error(`REGISTER ${user.username}: ${msg.slice(0, msg.indexOf('\r\n'))}`));
    });
    request();
  });

  return {
    invites,
    register: (users) => Promise.all(users.map(registerOne)),
    close: () => new Promise((r) => sock.close(r)),
  };
}
