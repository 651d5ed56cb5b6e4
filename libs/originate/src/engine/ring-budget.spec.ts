import { buildMessage, envelope, originateRequest, type MessageBody } from '@legwork/contracts';
import type { ResolvedEndpoint } from './originate.types';
import { ringBudgetMs } from './ring-budget';

const req = (extra: Record<string, unknown> = {}) =>
  buildMessage(originateRequest, { 'Application-Name': 'park', Endpoints: [{ 'Invite-Format': 'username', 'To-User': 'u', 'To-Realm': 'r.example' }], ...extra } as MessageBody<typeof originateRequest>, envelope('t', '1'));
const endpoint = (timeoutSeconds?: number): ResolvedEndpoint => ({
  index: 0, endpoint: { 'Invite-Format': 'username' }, callId: 'c', requestUri: 'sip:u@127.0.0.1', target: { protocol: 'udp', host: '127.0.0.1', port: 5060 }, headers: [], autoAnswer: false,
  ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
});

describe('how long A-legs ring', () => {
  it("is the request's Timeout when given, else ecallmgr's 10 s stretched to the longest Endpoint-Timeout", () => {
    expect(ringBudgetMs(req({ Timeout: 30 }), [endpoint(45)])).toBe(30_000);
    expect(ringBudgetMs(req(), [endpoint()])).toBe(10_000);
    expect(ringBudgetMs(req(), [endpoint(4), endpoint(25)])).toBe(25_000);
  });
});
