import { endpointAutoAnswer } from './originate-endpoint.contract';
import { bridgeEndpointOf, originateRequest, type OriginateRequest } from './originate-request.contract';
import { kazooContactQuickcallRequest as contactSample, kazooDeviceQuickcallRequest as deviceSample, withConcreteValues } from './testing';
import { parseMessage } from './validate';

// the seed's placeholders (`{E164_NUMBER}` as a To-DID) are not SIP-safe values: fill them in
const kazooDeviceQuickcallRequest = (): Record<string, unknown> => withConcreteValues(deviceSample());
const kazooContactQuickcallRequest = (): Record<string, unknown> => withConcreteValues(contactSample());

function accept(raw: unknown): OriginateRequest {
  const result = parseMessage(originateRequest, raw);
  if (!result.ok) throw result.error;
  return result.value;
}

function fieldsOf(raw: unknown): string[] {
  const result = parseMessage(originateRequest, raw);
  if (result.ok) throw new Error('expected the message to be refused');
  return result.error.issues.map((i) => i.field);
}

function withEndpoint(patch: Record<string, unknown>, drop: string[] = []): Record<string, unknown> {
  const req = kazooDeviceQuickcallRequest();
  const ep: Record<string, unknown> = { ...(req.Endpoints as Record<string, unknown>[])[0], ...patch };
  for (const key of drop) delete ep[key];
  return { ...req, Endpoints: [ep] };
}

describe('originate_req', () => {
  it('accepts the originate_req crossbar publishes for a device quickcall', () => {
    const req = accept(kazooDeviceQuickcallRequest());
    expect(req['Application-Name']).toBe('transfer');
    expect(req['Application-Data']?.Route).toBe('+14155550100');
    expect(req.Endpoints[0]['Invite-Format']).toBe('username');
    expect(req.Timeout).toBe(30);
  });

  it('accepts the contact-format request of the failing quickcall', () => {
    expect(accept(kazooContactQuickcallRequest()).Endpoints[0]['Ignore-Completed-Elsewhere']).toBe(false);
  });

  it('preserves headers it does not know, top level and per endpoint', () => {
    const req = accept(withEndpoint({ 'X-Vendor-Flag': 'on' }));
    expect(req['System-Log-ID']).toBe('{LOG_ID}');
    expect((req.Endpoints[0] as Record<string, unknown>)['X-Vendor-Flag']).toBe('on');
  });

  it('coerces numeric and boolean strings the way some Kazoo publishers send them', () => {
    const req = accept({ ...kazooDeviceQuickcallRequest(), Timeout: '45', 'Ignore-Early-Media': 'false', 'Max-Call-Duration': '3600', 'Media-Video': 'false' });
    expect(req.Timeout).toBe(45);
    expect(req['Ignore-Early-Media']).toBe(false);
    expect(req['Max-Call-Duration']).toBe(3600);
    expect(req['Media-Video']).toBe(false);
  });

  it.each([
    [{ Timeout: 0 }, 'Timeout'],
    [{ Timeout: -5 }, 'Timeout'],
    [{ Timeout: 'soon' }, 'Timeout'],
    [{ Timeout: 2.5 }, 'Timeout'],
    [{ 'Ignore-Early-Media': 'yes' }, 'Ignore-Early-Media'],
    [{ 'Media-Video': 'no' }, 'Media-Video'],
    [{ Media: 'relay' }, 'Media'],
    [{ 'Dial-Endpoint-Method': 'random' }, 'Dial-Endpoint-Method'],
    [{ 'Application-Name': 'dance' }, 'Application-Name'],
    [{ 'Custom-Channel-Vars': { nested: { no: 1 } } }, 'Custom-Channel-Vars.nested'],
    [{ 'Export-Custom-Channel-Vars': 'Account-ID' }, 'Export-Custom-Channel-Vars'],
    [{ Endpoints: [] }, 'Endpoints'],
    [{ Endpoints: undefined }, 'Endpoints'],
    [{ 'Event-Name': 'originate_resp' }, 'Event-Name'],
    [{ 'Event-Category': 'call' }, 'Event-Category'],
    [{ 'Msg-ID': undefined }, 'Msg-ID'],
  ])('refuses %j naming %s', (patch, field) => {
    expect(fieldsOf({ ...kazooDeviceQuickcallRequest(), ...patch })).toEqual([field]);
  });

  it('says a missing header is required', () => {
    const result = parseMessage(originateRequest, { ...kazooDeviceQuickcallRequest(), 'Application-Name': undefined });
    expect(result.ok ? [] : result.error.issues).toEqual([{ field: 'Application-Name', rule: 'is required' }]);
  });

  it('names the endpoint field with its index', () => {
    expect(fieldsOf(withEndpoint({ 'Invite-Format': 'carrier-pigeon' }))).toEqual(['Endpoints[0].Invite-Format']);
    expect(fieldsOf(withEndpoint({ Codecs: 'PCMU' }))).toEqual(['Endpoints[0].Codecs']);
  });

  it('requires a user for username and contact formats', () => {
    const result = parseMessage(originateRequest, withEndpoint({}, ['To-User', 'To-Username']));
    expect(result.ok ? [] : result.error.issues).toEqual([
      { field: 'Endpoints[0].To-User', rule: 'Invite-Format: username requires To-User or To-Username' },
    ]);
    expect(fieldsOf(withEndpoint({ 'Invite-Format': 'contact' }, ['To-Realm']))).toEqual(['Endpoints[0].To-Realm']);
  });

  it('requires Route or To-URI for route, a number for e164', () => {
    expect(fieldsOf(withEndpoint({ 'Invite-Format': 'route' }))).toEqual(['Endpoints[0].Route']);
    expect(accept(withEndpoint({ 'Invite-Format': 'route', 'To-URI': 'sip:+15555550100@carrier.example.net' })).Endpoints).toHaveLength(1);
    expect(fieldsOf(withEndpoint({ 'Invite-Format': 'e164' }, ['To-DID', 'To-User']))).toEqual(['Endpoints[0].To-DID']);
  });

  it('ties Application-Name to the data it needs', () => {
    expect(fieldsOf({ ...kazooDeviceQuickcallRequest(), 'Application-Data': {} })).toEqual(['Application-Data.Route']);
    expect(fieldsOf({ ...kazooDeviceQuickcallRequest(), 'Application-Name': 'bridge' })).toEqual(['Existing-Call-ID']);
    expect(accept({ ...kazooDeviceQuickcallRequest(), 'Application-Name': 'park', 'Application-Data': undefined })['Application-Name']).toBe('park');
  });

  it('bridges without Existing-Call-ID to the one endpoint in Application-Data, checked like an element of Endpoints', () => {
    const target = { 'Invite-Format': 'username', 'To-Username': 'desk2', 'To-Realm': 'acme.example.com' };
    const req = accept({ ...kazooDeviceQuickcallRequest(), 'Application-Name': 'bridge', 'Application-Data': target });
    expect(bridgeEndpointOf(req)).toMatchObject(target);
    expect(fieldsOf({ ...kazooDeviceQuickcallRequest(), 'Application-Name': 'bridge', 'Application-Data': { ...target, 'To-Username': 'desk2>' } })).toEqual(['Application-Data.To-Username']);
    expect(fieldsOf({ ...kazooDeviceQuickcallRequest(), 'Application-Name': 'bridge', 'Application-Data': { 'Invite-Format': 'username' } })).toEqual(['Application-Data.To-User', 'Application-Data.To-Realm']);
    expect(bridgeEndpointOf(accept(kazooDeviceQuickcallRequest()))).toBeUndefined();
  });

  it('routes to originate.resource.req on callmgr', () => {
    const req = accept(kazooDeviceQuickcallRequest());
    expect(originateRequest.exchange).toBe('callmgr');
    expect(originateRequest.routingKey(req)).toBe('originate.resource.req');
  });

  it('reads auto-answer from the endpoint flag or the channel variable', () => {
    const [viaCcv] = accept(kazooDeviceQuickcallRequest()).Endpoints;
    const [viaFlag] = accept(withEndpoint({ 'Auto-Answer': 'true', 'Custom-Channel-Vars': {} })).Endpoints;
    const [off] = accept(withEndpoint({ 'Custom-Channel-Vars': { 'Auto-Answer': 'false' } })).Endpoints;
    expect([endpointAutoAnswer(viaCcv), endpointAutoAnswer(viaFlag), endpointAutoAnswer(off)]).toEqual([true, true, false]);
  });
});
