import { join } from 'node:path';

export { freePort, killAllSipp, runSipp, startSipp, type SippRun } from '../src/testing';

export const SCENARIOS = join(__dirname, 'scenarios');

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const SDP = ['v=0', 'o=legwork 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
