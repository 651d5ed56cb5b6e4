import { randomBytes } from 'node:crypto';
import { SipAuth, parseAuth } from '../message/sip-auth';
import { quote } from '../message/sip-text';
import { digestAlgorithm, digestHa1, digestResponse } from './digest-hash';

export interface DigestAnswerInput {
  /** A WWW-Authenticate / Proxy-Authenticate value. */
  challenge: SipAuth | string;
  method: string;
  uri: string;
  username: string;
  password: string;
  /** Defaults to 1; count up when reusing a nonce. */
  nc?: number;
  cnonce?: string;
}

/** Client side: the Authorization value answering a Digest challenge with qop=auth; undefined when we cannot answer it. */
export function answerDigestChallenge(input: DigestAnswerInput): string | undefined {
  let challenge: SipAuth;
  try {
    challenge = typeof input.challenge === 'string' ? parseAuth(input.challenge) : input.challenge;
  } catch {
    return undefined;
  }
  const realm = challenge.get('realm');
  const nonce = challenge.get('nonce');
  const algorithm = digestAlgorithm(challenge.get('algorithm'));
  const qops = (challenge.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  if (challenge.scheme.toLowerCase() !== 'digest' || realm === undefined || nonce === undefined || algorithm === undefined || !qops.includes('auth')) return undefined;
  const nc = (input.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = input.cnonce ?? randomBytes(12).toString('base64url');
  const ha1 = digestHa1(algorithm, input.username, realm, input.password);
  const response = digestResponse({ algorithm, ha1, method: input.method, uri: input.uri, nonce, nc, cnonce, qop: 'auth' });
  const opaque = challenge.get('opaque');
  const parts = [
    `username=${quote(input.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(input.uri)}`,
    `response="${response}"`,
    `algorithm=${algorithm}`,
    `cnonce=${quote(cnonce)}`,
    ...(opaque !== undefined ? [`opaque=${quote(opaque)}`] : []),
    'qop=auth',
    `nc=${nc}`,
  ];
  return `Digest ${parts.join(', ')}`;
}
