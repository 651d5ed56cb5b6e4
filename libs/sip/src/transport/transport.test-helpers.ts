import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '../message/sip-builders';
import type { SipRequest } from '../message/sip-message';
import { createTransportLayer, type TransportLayer } from './transport-layer';
import type { TransportLayerOptions } from './transport.config';
import type { InboundSipMessage, SipProtocol } from './transport.types';

/** Test-only helpers shared by the transport specs. */
export const LOCAL = '127.0.0.1';

export function startLayer(protocols: SipProtocol[], extra: Partial<TransportLayerOptions> = {}, pem?: TestCert): Promise<TransportLayer> {
  const tlsMaterial = pem ? { key: pem.key, cert: pem.cert, ca: pem.cert } : undefined;
  const options: TransportLayerOptions = { ...extra };
  for (const protocol of protocols) {
    if (protocol === 'tls' || protocol === 'wss') {
      if (tlsMaterial === undefined) throw new Error(`${protocol} needs a certificate`);
      options[protocol] = { host: LOCAL, port: 0, ...tlsMaterial };
    } else {
      options[protocol] = { host: LOCAL, port: 0 };
    }
  }
  return createTransportLayer(options);
}

export function portOf(layer: TransportLayer, protocol: SipProtocol): number {
  return layer.sentBy(protocol).port;
}

export interface OptionsRequestSpec {
  protocol: SipProtocol;
  targetPort: number;
  viaHost?: string;
  viaPort?: number;
  rport?: boolean;
  callId?: string;
}

/** An OPTIONS with a Via the way the transaction layer will build it. */
export function optionsRequest(spec: OptionsRequestSpec): SipRequest {
  const token = spec.protocol.toUpperCase();
  const port = spec.viaPort === undefined ? '' : `:${spec.viaPort}`;
  return createRequest({
    method: 'OPTIONS',
    uri: `sip:probe@${LOCAL}:${spec.targetPort};transport=${spec.protocol}`,
    from: `<sip:tester@${LOCAL}>;tag=${randomBytes(4).toString('hex')}`,
    to: `<sip:probe@${LOCAL}>`,
    callId: spec.callId ?? randomBytes(8).toString('hex'),
    cseq: 1,
    via: `SIP/2.0/${token} ${spec.viaHost ?? LOCAL}${port};branch=z9hG4bK${randomBytes(8).toString('hex')}${spec.rport ? ';rport' : ''}`,
  });
}

/** Resolves with the next inbound message accepted by the predicate. */
export function nextMessage(layer: TransportLayer, accept: (inbound: InboundSipMessage) => boolean = () => true, timeoutMs = 10_000): Promise<InboundSipMessage> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error('no matching SIP message arrived'));
    }, timeoutMs);
    layer.onMessage((inbound) => {
      if (done || !accept(inbound)) return;
      done = true;
      clearTimeout(timer);
      resolve(inbound);
    });
  });
}

export interface TestCert {
  key: string;
  cert: string;
}

/** Self-signed certificate for 127.0.0.1 made with the openssl CLI into a throw-away directory. */
export function makeTestCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'sip-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SPICY = [0x0d, 0x0a, 0x00, 0x22, 0x3c, 0x3e, 0x2c, 0x3a, 0x3b, 0x20, 0x09, 0x40, 0xff];

/** Flips, inserts, deletes, duplicates or truncates a few bytes, driven by the seeded PRNG. */
export function mutateBytes(random: () => number, input: Buffer): Buffer {
  let data = Buffer.from(input);
  const rounds = 1 + Math.floor(random() * 4);
  for (let r = 0; r < rounds && data.length > 0; r++) {
    const at = Math.floor(random() * data.length);
    const op = Math.floor(random() * 5);
    if (op === 0) data[at] = SPICY[Math.floor(random() * SPICY.length)];
    else if (op === 1) data[at] = Math.floor(random() * 256);
    else if (op === 2) data = Buffer.concat([data.subarray(0, at), Buffer.from([SPICY[Math.floor(random() * SPICY.length)]]), data.subarray(at)]);
    else if (op === 3) data = Buffer.concat([data.subarray(0, at), data.subarray(Math.min(data.length, at + 1 + Math.floor(random() * 20)))]);
    else data = data.subarray(0, at);
  }
  return data;
}
