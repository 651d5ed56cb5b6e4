import { createRequest, createResponse } from './sip-builders';
import { SipRequest } from './sip-message';

const SDP = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
const invite = (body?: Buffer | string): SipRequest =>
  createRequest({ method: 'INVITE', uri: 'sip:bob@example.com', from: '<sip:alice@example.com>;tag=1', to: '<sip:bob@example.com>', callId: 'c-1', cseq: 1, body });

describe('SipMessage bodyText', () => {
  it('is the body as text, for a body built from text, from bytes, or none', () => {
    expect(invite(SDP).bodyText).toBe(SDP);
    expect(invite(Buffer.from('é€', 'utf8')).bodyText).toBe('é€');
    expect(invite().bodyText).toBe('');
    expect(createResponse(invite(), 200, 'OK', { body: SDP }).bodyText).toBe(SDP);
  });

  it('follows a body replaced after the message was made (the parser sets it last)', () => {
    const request = new SipRequest('INVITE', 'sip:bob@example.com');
    expect(request.bodyText).toBe('');
    request.body = Buffer.from(SDP);
    expect(request.bodyText).toBe(SDP);
    request.primeBodyText('ignored once the body changes');
    request.body = Buffer.from('v=0\r\n');
    expect(request.bodyText).toBe('v=0\r\n');
  });
});
