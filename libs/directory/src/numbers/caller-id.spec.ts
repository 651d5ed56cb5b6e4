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

  it('shows nothing when neither the device nor its owner has an id, whatever was dialled', () => {
    expect(endpointCallerId([undefined, {}], '+14155550100')).toBeUndefined();
    expect(endpointCallerId([undefined], 'not a number')).toBeUndefined();
  });

  it('picks the internal id for an internal number and the external one for a public number', () => {
    const device = { internal: { name: 'Desk', number: '2001' }, external: { name: 'Acme', number: '+14155550111' } };
    expect(endpointCallerId([device], '2002')).toEqual({ name: 'Desk', number: '2001' });
    expect(endpointCallerId([device], '+14155550100')).toEqual({ name: 'Acme', number: '+14155550111' });
  });
});
