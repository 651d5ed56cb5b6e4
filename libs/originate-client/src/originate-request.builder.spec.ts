import { buildMessage, originateRequest, type MessageBody } from '@legwork/contracts';
import type { Device } from '@legwork/directory';
import { requestFingerprint, specFingerprint } from './originate-fingerprint';
import { buildOriginateRequest } from './originate-request.builder';
import type { OriginateSpec } from './originate-spec';

type Wire = Record<string, unknown>;

const device = (id: string, username: string, extra: Partial<Device> = {}): Device =>
  ({ id, name: username, enabled: true, owner_id: 'user-1', sip: { username, realm: 'acme.test', invite_format: 'username' }, ...extra }) as Device;

const spec = (over: Partial<OriginateSpec> = {}): OriginateSpec => ({
  accountId: 'acc-1',
  authorizing: { id: 'dev-1', type: 'device' },
  sources: [device('dev-1', 'desk')],
  destination: '+14155550199',
  callerIdToSource: { name: 'Click to call', number: '+14155550199' },
  callerIds: [{ internal: { name: 'Ann', number: '1001' }, external: { name: 'Acme', number: '+14155550100' } }],
  timeoutS: 20,
  media: 'bypass',
  autoAnswer: true,
  callIdSuffix: '-c2c',
  ...over,
});

const endpoints = (req: Wire): Wire[] => req['Endpoints'] as Wire[];

describe('buildOriginateRequest', () => {
  it('rings the sources, transfers to the destination and passes the originate_req contract', () => {
    const req = buildOriginateRequest(spec({ customApplicationVars: { crm: 7 }, customChannelVars: { 'Campaign-ID': 'c9', 'Account-ID': 'forged' } }));
    expect(req).toMatchObject({
      'Account-ID': 'acc-1', 'Application-Name': 'transfer', 'Application-Data': { Route: '+14155550199' },
      'Custom-Application-Vars': { crm: 7 },
      'Custom-Channel-Vars': { 'Account-ID': 'acc-1', 'Authorizing-ID': 'dev-1', 'Authorizing-Type': 'device', 'Retain-CID': 'false', 'Campaign-ID': 'c9' },
      'Dial-Endpoint-Method': 'simultaneous', 'Ignore-Early-Media': true, Media: 'bypass', Timeout: 20,
      'Outbound-Caller-ID-Name': 'Click to call', 'Outbound-Caller-ID-Number': '+14155550199',
      // a public number shows the destination the external caller id
      'Outbound-Callee-ID-Name': 'Acme', 'Outbound-Callee-ID-Number': '+14155550100',
    });
    const [ep] = endpoints(req);
    expect(ep).toMatchObject({ 'Invite-Format': 'username', 'To-User': 'desk', 'To-Realm': 'acme.test', 'To-DID': '+14155550199', 'Endpoint-ID': 'dev-1', 'Presence-ID': 'desk@acme.test' });
    expect(ep['Outbound-Call-ID']).toMatch(/^[0-9a-f]{32}-c2c$/);
    expect(ep['Custom-Channel-Vars']).toMatchObject({ 'Owner-ID': 'user-1', 'Auto-Answer': true });
    expect(ep).not.toHaveProperty('Custom-SIP-Headers');
    // the dialect's extra channel vars are exported to the destination's leg; without an explicit one no Caller-ID-* is forced
    expect(req['Export-Custom-Channel-Vars']).toEqual(expect.arrayContaining(['Account-ID', 'Campaign-ID']));
    expect(req).not.toHaveProperty('Caller-ID-Number');
    expect(req).not.toHaveProperty('Max-Call-Duration');
    expect(() => buildMessage(originateRequest, req as MessageBody<typeof originateRequest>, { 'App-Name': 't', 'App-Version': '1' })).not.toThrow();
  });

  it('maps maxDurationS, existingCallId, aorHeader, retainCallerId and an explicit destination caller id', () => {
    const req = buildOriginateRequest(spec({ maxDurationS: 90, existingCallId: 'live-1', aorHeader: 'X-AOR', retainCallerId: true, callerIdToDestination: { number: '2000' } }));
    expect(req).toMatchObject({ 'Max-Call-Duration': 90, 'Existing-Call-ID': 'live-1', 'Outbound-Callee-ID-Number': '2000', 'Caller-ID-Number': '2000', 'Custom-Channel-Vars': { 'Retain-CID': 'true' } });
    expect(req).not.toHaveProperty('Outbound-Callee-ID-Name');
    expect(req).not.toHaveProperty('Caller-ID-Name');
    // without an explicit one the media node shows the answered device's own caller id
    expect(buildOriginateRequest(spec())).not.toHaveProperty('Caller-ID-Number');
    expect(endpoints(req)[0]['Custom-SIP-Headers']).toEqual({ 'X-AOR': 'sip:desk@acme.test' });
  });

  it('a group route is carried as the Route and shows the destination the internal caller id; other colons are refused', () => {
    const route = `group:${'b'.repeat(32)}`;
    const req = buildOriginateRequest(spec({ destination: route }));
    expect(req).toMatchObject({ 'Application-Data': { Route: route }, 'Outbound-Callee-ID-Number': '1001' });
    expect(endpoints(req)[0]).not.toHaveProperty('To-DID');
    expect(() => buildMessage(originateRequest, req as MessageBody<typeof originateRequest>, { 'App-Name': 't', 'App-Version': '1' })).not.toThrow();
    expect(() => buildOriginateRequest(spec({ destination: 'group:nope' }))).toThrow(expect.objectContaining({ code: 'invalid_spec', details: expect.objectContaining({ field: 'destination' }) }));
  });

  it('video: false asks the media node to refuse video (Media-Video: false); otherwise nothing is said', () => {
    const refused = buildOriginateRequest(spec({ video: false }));
    expect(refused['Media-Video']).toBe(false);
    expect(() => buildMessage(originateRequest, refused as MessageBody<typeof originateRequest>, { 'App-Name': 't', 'App-Version': '1' })).not.toThrow();
    expect(buildOriginateRequest(spec({ video: true }))).not.toHaveProperty('Media-Video');
    expect(buildOriginateRequest(spec())).not.toHaveProperty('Media-Video');
  });

  it('rings numbers as loopback endpoints; with several phones no one is auto-answered', () => {
    const req = buildOriginateRequest(spec({ sources: [device('dev-1', 'desk'), device('dev-2', 'soft')], sourceNumbers: ['+442071234567'], dialMethod: 'single' }), { callId: (() => { let n = 0; return () => `leg-${++n}`; })() });
    expect(req['Dial-Endpoint-Method']).toBe('single');
    const eps = endpoints(req);
    expect(eps.map((e) => e['Outbound-Call-ID'])).toEqual(['leg-1', 'leg-2', 'leg-3']);
    expect(eps[2]).toMatchObject({ 'Invite-Format': 'loopback', 'To-DID': '+442071234567' });
    expect(eps.map((e) => (e['Custom-Channel-Vars'] as Wire)['Auto-Answer'])).toEqual([undefined, undefined, undefined]);
  });

  it('names the field of a value that cannot reach SIP', () => {
    expect(() => buildOriginateRequest(spec({ destination: '1002 <x>' }))).toThrow(expect.objectContaining({ code: 'invalid_spec', details: expect.objectContaining({ field: 'destination' }) }));
    expect(() => buildOriginateRequest(spec({ callerIdToSource: { name: 'a\r\nb' } }))).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'callerIdToSource.name' }) }));
    expect(() => buildOriginateRequest(spec({ sourceNumbers: ['1@2'] }))).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'sourceNumbers[0]' }) }));
  });
});

describe('fingerprints', () => {
  it('a spec fingerprints the same whatever call ids a build draws, and differently for another destination', () => {
    expect(specFingerprint(spec())).toBe(specFingerprint(spec()));
    expect(specFingerprint(spec())).not.toBe(specFingerprint(spec({ destination: '1003' })));
    expect(specFingerprint(spec())).not.toBe(specFingerprint(spec({ timeoutS: 21 })));
  });

  it('a request fingerprints without its envelope, call ids or key order', () => {
    const a = buildOriginateRequest(spec());
    const b = { 'Msg-ID': 'm-2', 'Server-ID': 'q', ...Object.fromEntries(Object.entries(buildOriginateRequest(spec())).reverse()) };
    expect(requestFingerprint(b)).toBe(requestFingerprint(a));
    expect(requestFingerprint({ ...a, Media: 'process' })).not.toBe(requestFingerprint(a));
  });
});
