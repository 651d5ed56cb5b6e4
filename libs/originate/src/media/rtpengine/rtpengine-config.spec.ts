import { parseRtpengineAddress } from './rtpengine-config';

describe('parseRtpengineAddress', () => {
  it('reads host:port and [v6]:port', () => {
    expect(parseRtpengineAddress('127.0.0.1:2223')).toEqual({ host: '127.0.0.1', port: 2223 });
    expect(parseRtpengineAddress(' rtp.example.net:22222 ')).toEqual({ host: 'rtp.example.net', port: 22222 });
    expect(parseRtpengineAddress('[::1]:2223')).toEqual({ host: '::1', port: 2223 });
  });

  it('treats empty or absent as not configured', () => {
    expect(parseRtpengineAddress(undefined)).toBeUndefined();
    expect(parseRtpengineAddress('  ')).toBeUndefined();
  });

  it.each(['127.0.0.1', '127.0.0.1:0', 'host:99999', ':2223', 'udp:127.0.0.1:2223'])('rejects %j with rtpengine_config', (value) => {
    expect(() => parseRtpengineAddress(value)).toThrow(expect.objectContaining({ code: 'rtpengine_config' }));
  });
});
