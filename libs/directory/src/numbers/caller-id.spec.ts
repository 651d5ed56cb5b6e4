import { endpointCallerId } from './caller-id';

describe('endpointCallerId on stored data written before validation', () => {
  it('shows a name holding CR/LF with spaces instead, and never a number that is not a SIP user', () => {
    const legacy = { external: { name: 'Desk\r\nX-Injected: yes', number: '2000>' } };
    expect(endpointCallerId([legacy], '+14155550100')).toEqual({ name: 'Desk X-Injected: yes' });
  });

  it('falls through to the owner when the device entry has nothing presentable', () => {
    const device = { external: { name: '\u0000', number: '<sip:x>' } };
    const owner = { external: { name: 'Ann', number: '+14155550111' } };
    expect(endpointCallerId([device, owner], '+14155550100')).toEqual({ name: 'Ann', number: '+14155550111' });
  });
});
