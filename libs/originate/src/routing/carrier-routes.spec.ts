import type { Resource } from '@legwork/directory';
import { carrierRoutes, dialledNumber } from './carrier-routes';
import { gatewayTarget, hostPort } from './gateway-target';
import { RoutingError } from './routing.error';

function resource(over: Partial<Resource>): Resource {
  return {
    id: 'r1',
    account_id: 'a1',
    name: 'carrier',
    enabled: true,
    gateways: [{ server: '10.0.0.1', enabled: true, prefix: '', suffix: '' }],
    rules: ['^\\+1(\\d{10})$'],
    flags: [],
    weight_cost: 50,
    created: 0,
    modified: 0,
    ...over,
  } as Resource;
}

describe('gatewayTarget', () => {
  it('reads host, host:port and bracketed IPv6, UDP unless told', () => {
    expect(gatewayTarget('10.0.0.1')).toEqual({ protocol: 'udp', host: '10.0.0.1', port: 5060 });
    expect(gatewayTarget('sip.carrier.example:5080')).toEqual({ protocol: 'udp', host: 'sip.carrier.example', port: 5080 });
    expect(gatewayTarget('[2001:db8::1]:5070', 'tcp')).toEqual({ protocol: 'tcp', host: '2001:db8::1', port: 5070 });
    expect(hostPort(gatewayTarget('[2001:db8::1]:5070'))).toBe('[2001:db8::1]:5070');
  });

  it('refuses what is not a server', () => {
    expect(() => gatewayTarget('sip:10.0.0.1')).toThrow(RoutingError);
    expect(() => gatewayTarget('10.0.0.1:70000')).toThrow(expect.objectContaining({ code: 'invalid_gateway' }));
  });
});

describe('carrierRoutes', () => {
  it('sends the first capture group of the matching rule, or the whole number', () => {
    expect(dialledNumber(['^\\+44(\\d+)$', '^\\+1(\\d{10})$'], '+14155551234')).toBe('4155551234');
    expect(dialledNumber(['^\\+1\\d{10}$'], '+14155551234')).toBe('+14155551234');
    expect(dialledNumber(['^\\+44'], '+14155551234')).toBeUndefined();
  });

  it('applies prefix and suffix, carries credentials and keeps resource then gateway order', () => {
    const cheap = resource({
      id: 'cheap',
      gateways: [
        { server: '10.0.0.1:5080', enabled: true, prefix: '99', suffix: '#1', username: 'trunk', password: 's3cret', realm: 'carrier.example' },
        { server: '10.0.0.2', enabled: false, prefix: '', suffix: '' },
        { server: '10.0.0.3', enabled: true, prefix: '', suffix: '' },
      ],
    });
    const dear = resource({ id: 'dear', rules: ['^\\+1\\d{10}$'], gateways: [{ server: '10.0.0.9', enabled: true, prefix: '', suffix: '' }] });
    const routes = carrierRoutes([cheap, dear, resource({ id: 'off', enabled: false })], '+14155551234');
    expect(routes.map((r) => r.requestUri)).toEqual(['sip:994155551234%231@10.0.0.1:5080', 'sip:4155551234@10.0.0.3:5060', 'sip:+14155551234@10.0.0.9:5060']);
    expect(routes[0]).toMatchObject({ kind: 'carrier', resourceId: 'cheap', target: { protocol: 'udp', host: '10.0.0.1', port: 5080 }, credentials: { username: 'trunk', password: 's3cret', realm: 'carrier.example' } });
    expect(routes[1]?.credentials).toBeUndefined();
    expect(routes[2]?.resourceId).toBe('dear');
  });
});

describe('carrier rules and gateways are user data', () => {
  it('runs rules on RE2: a pattern catastrophic for backtracking still gives the right number', () => {
    // exponential on a backtracking engine for a non-matching input, linear on RE2
    expect(dialledNumber(['^(\\d|\\d)*x$', '^\\+1(\\d+)+$'], `+1${'4'.repeat(30)}`)).toBe('4'.repeat(30));
    expect(dialledNumber(['(\\d)\\1', '^\\+1(\\d{10})$'], '+14155551234')).toBe('4155551234');
  });

  it('escapes a hostile prefix and skips a gateway whose stored credentials would break the Authorization header', () => {
    const routes = carrierRoutes([resource({
      gateways: [
        { server: '10.0.0.1', enabled: true, prefix: '1>', suffix: '', username: 'u", realm="x', password: 'p' },
        { server: '10.0.0.2', enabled: true, prefix: '<x', suffix: '\r\n' },
      ],
    })], '+14155551234');
    expect(routes.map((r) => r.requestUri)).toEqual(['sip:%3Cx4155551234%0D%0A@10.0.0.2:5060']);
    expect(routes[0]).toMatchObject({ number: '+14155551234' });
  });
});
