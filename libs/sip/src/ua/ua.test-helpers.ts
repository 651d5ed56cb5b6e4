import { LoopbackNetwork } from './testing/loopback-transport';
import { RawPeer } from './testing/raw-peer';
import { SipStack, type SipStackOptions } from './sip-stack';
import { TEST_TIMERS } from '../transaction/transaction.test-helpers';

export const OFFER = 'v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
export const ANSWER = 'v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n';

/** Alice (5060) and Bob (5061) stacks plus a raw peer (5080) on one loopback network. */
export function stackPair(protocol: 'udp' | 'tcp' = 'udp', options: Pick<SipStackOptions, 'sessionTimer'> = {}) {
  const network = new LoopbackNetwork();
  const alice = new SipStack({ transport: network.createTransport({ port: 5060, protocol }), timers: TEST_TIMERS, userAgent: 'alice-ua', ...options });
  const bob = new SipStack({ transport: network.createTransport({ port: 5061, protocol }), timers: TEST_TIMERS, userAgent: 'bob-ua', ...options });
  const peer = new RawPeer(network, 5080);
  const callBob = (extra: Partial<Parameters<SipStack['invite']>[0]> = {}) =>
    alice.invite({ uri: 'sip:bob@127.0.0.1:5061', from: '"Alice" <sip:alice@127.0.0.1>', to: '<sip:bob@127.0.0.1>', body: OFFER, ...extra });
  const callPeer = (extra: Partial<Parameters<SipStack['invite']>[0]> = {}) =>
    alice.invite({ uri: 'sip:peer@127.0.0.1:5080', from: '<sip:alice@127.0.0.1>', to: '<sip:peer@127.0.0.1>', body: OFFER, ...extra });
  return { network, alice, bob, peer, callBob, callPeer };
}
