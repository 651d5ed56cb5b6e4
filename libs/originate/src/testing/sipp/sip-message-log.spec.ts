import { receivedRequests, receivedTransactions } from './sip-message-log';

function received(startLine: string, cseq: string): string {
  const text = [startLine, 'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1', `CSeq: ${cseq}`, 'Content-Length: 0'].join('\r\n');
  return `----------------------------------------------- 2026-12-02 10:00:00.000000\nUDP message received [${text.length}] bytes :\n\n${text}\r\n\r\n`;
}

describe('sipp message log', () => {
  const prack = 'PRACK sip:carrier@127.0.0.1:5080 SIP/2.0';

  it('counts a retransmitted request once per transaction, but keeps every datagram in receivedRequests', () => {
    const log = received(prack, '2 PRACK') + received(prack, '2 PRACK');
    expect(receivedRequests(log, 'PRACK')).toHaveLength(2);
    expect(receivedTransactions(log, 'PRACK').map((m) => m.headers['cseq']?.[0])).toEqual(['2 PRACK']);
  });

  it('keeps two requests of the same method with their own CSeq apart', () => {
    const log = received(prack, '2 PRACK') + received(prack, '3 PRACK') + received('BYE sip:carrier@127.0.0.1:5080 SIP/2.0', '4 BYE');
    expect(receivedTransactions(log, 'PRACK').map((m) => m.headers['cseq']?.[0])).toEqual(['2 PRACK', '3 PRACK']);
  });
});
