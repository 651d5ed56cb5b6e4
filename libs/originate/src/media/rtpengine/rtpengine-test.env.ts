import { parseRtpengineAddress } from './rtpengine-config';

/** The daemon the tests talk to: `RTPENGINE_NG`, default the local one. */
export function testRtpengineAddress(): { host: string; port: number } {
  const parsed = parseRtpengineAddress(process.env.RTPENGINE_NG ?? '127.0.0.1:2223');
  if (parsed === undefined) throw new Error('RTPENGINE_NG is empty');
  return parsed;
}
