import { originateRequest } from './originate-request.contract';
import { kazooDeviceQuickcallRequest, withConcreteValues } from './testing';
import { parseMessage } from './validate';

const valid = (): Record<string, unknown> => withConcreteValues(kazooDeviceQuickcallRequest());

function issuesOf(raw: Record<string, unknown>): Array<{ field: string; rule: string }> {
  const result = parseMessage(originateRequest, raw);
  return result.ok ? [] : result.error.issues;
}

function withEndpoint(patch: Record<string, unknown>): Record<string, unknown> {
  const req = valid();
  return { ...req, Endpoints: [{ ...(req.Endpoints as Array<Record<string, unknown>>)[0], ...patch }] };
}

// An AMQP publisher is as hostile as a REST caller: every SIP-bound field is refused by name, never passed on.
describe('originate_req: fields that reach SIP', () => {
  it('accepts the values real requests carry', () => {
    const req = { ...valid(), 'Caller-ID-Name': 'Ann "The Boss" Lee \\ Zoë', 'Caller-ID-Number': '+14155550100', 'Custom-SIP-Headers': { 'X-Campaign': 'spring <2027>', 'X-Count': 3 } };
    expect(issuesOf(req)).toEqual([]);
    expect(issuesOf(withEndpoint({ 'To-URI': '<sip:1001@10.0.0.7:5062;transport=tcp>', 'Invite-Format': 'contact', 'Outbound-Call-ID': 'a1b2-c3@host.example' }))).toEqual([]);
  });

  it.each([
    [{ 'Outbound-Caller-ID-Number': '2000>' }, 'Outbound-Caller-ID-Number'],
    [{ 'Outbound-Caller-ID-Number': '' }, 'Outbound-Caller-ID-Number'],
    [{ 'Caller-ID-Number': '1000 <sip:evil@x>' }, 'Caller-ID-Number'],
    [{ 'Outbound-Caller-ID-Name': 'Boss\r\nX-Injected: yes' }, 'Outbound-Caller-ID-Name'],
    [{ 'Caller-ID-Name': 'nul\u0000byte' }, 'Caller-ID-Name'],
    [{ 'Caller-ID-Name': 'broken \ud800 utf-16' }, 'Caller-ID-Name'],
    [{ 'Caller-ID-Name': 'x'.repeat(129) }, 'Caller-ID-Name'],
    [{ 'Outbound-Call-ID': 'two words' }, 'Outbound-Call-ID'],
    [{ 'Outbound-Call-ID': 'a'.repeat(257) }, 'Outbound-Call-ID'],
    [{ 'Application-Data': { Route: '1000>' } }, 'Application-Data.Route'],
    [{ 'Custom-SIP-Headers': { 'X-Evil': 'ok\r\nX-Injected: yes' } }, 'Custom-SIP-Headers.X-Evil'],
    [{ 'Custom-SIP-Headers': { 'X Evil': 'ok' } }, 'Custom-SIP-Headers.X Evil'],
  ])('refuses %j naming %s', (patch, field) => {
    expect(issuesOf({ ...valid(), ...patch }).map((i) => i.field)).toEqual([field]);
  });

  it.each([
    [{ 'To-User': 'desk1>' }, 'Endpoints[0].To-User'],
    [{ 'To-Username': 'desk 1' }, 'Endpoints[0].To-Username'],
    [{ 'To-Realm': 'acme.test>' }, 'Endpoints[0].To-Realm'],
    [{ 'To-DID': '1000\r\n' }, 'Endpoints[0].To-DID'],
    [{ 'To-URI': 'sip:1001@host>;x', 'Invite-Format': 'contact' }, 'Endpoints[0].To-URI'],
    [{ Route: 'sip:a@b\r\nX-Injected: yes', 'Invite-Format': 'route' }, 'Endpoints[0].Route'],
    [{ 'Outbound-Caller-ID-Name': 'a\nb' }, 'Endpoints[0].Outbound-Caller-ID-Name'],
    [{ 'Outbound-Call-ID': '<id>' }, 'Endpoints[0].Outbound-Call-ID'],
    [{ 'Custom-SIP-Headers': { 'X-Kazoo-AOR': 'sip:a@b\u0000' } }, 'Endpoints[0].Custom-SIP-Headers.X-Kazoo-AOR'],
  ])('refuses endpoint %j naming %s', (patch, field) => {
    const issues = issuesOf(withEndpoint(patch));
    expect(issues.map((i) => i.field)).toEqual([field]);
    expect(issues[0].rule).toMatch(/must/);
  });
});
