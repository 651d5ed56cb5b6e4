import { createDirectory, type Directory } from '@legwork/directory';
import { numberFacts } from './number-class';
import { OutboundPolicy } from './outbound-policy';

const plan = { defaultCountryCode: '1' };

describe('outbound rules', () => {
  let dir: Directory;
  beforeEach(() => {
    dir = createDirectory();
  });
  afterEach(() => dir.close());

  it('classifies destinations with libphonenumber, unknown when it cannot tell', () => {
    expect(numberFacts('+19005550100')).toEqual({ e164: '+19005550100', classes: ['premium_rate'], country: 'US' });
    expect(numberFacts('+18005550100').classes).toEqual(['toll_free']);
    expect(numberFacts('+442079460000')).toMatchObject({ classes: ['fixed_line'], country: 'GB' });
    expect(numberFacts('+15551234567').classes).toEqual(['unknown']);
  });

  it('by default refuses premium-rate and shared-cost numbers and allows the rest, extensions included', () => {
    const policy = new OutboundPolicy(dir, plan, { id: 'a1' }, []);
    expect(policy.destination('+19005550100')).toMatchObject({ ok: false, cause: 'OUTGOING_CALL_BARRED', reason: expect.stringContaining('premium_rate') });
    expect(policy.destination('19005550100')).toMatchObject({ ok: false });
    expect(policy.destination('011 33 8 91 12 34 56')).toMatchObject({ ok: false, reason: expect.stringContaining('premium_rate') });
    expect(policy.destination('+33891123456')).toMatchObject({ ok: false });
    for (const ok of ['+14155550100', '+18005550100', '+15551234567', '+442079460000', '1001', 'ann-desk']) expect({ ok, verdict: policy.destination(ok) }).toEqual({ ok, verdict: { ok: true } });
  });

  it('applies the account rules: classes, international, patterns', () => {
    const account = { id: 'a1', country: 'US', outbound: { deny_classes: [], allow_classes: ['fixed_line', 'toll_free'] as const, allow_international: false, deny_patterns: ['^\\+1415555019'] } };
    const policy = new OutboundPolicy(dir, plan, { ...account, outbound: { ...account.outbound, allow_classes: [...account.outbound.allow_classes] } }, []);
    expect(policy.destination('+19005550100').ok).toBe(false);
    expect(policy.destination('+18005550100').ok).toBe(true);
    // NANP numbers cannot be told fixed from mobile: allowed by either
    expect(policy.destination('+14155550100').ok).toBe(true);
    expect(policy.destination('+14155550190')).toMatchObject({ ok: false, reason: expect.stringContaining('pattern') });
    expect(policy.destination('+442079460000')).toMatchObject({ ok: false, reason: expect.stringContaining('international') });
  });

  it("narrows by a user's rules, which cannot widen the account's", () => {
    const policy = new OutboundPolicy(dir, plan, { id: 'a1' }, [{ id: 'u1', rules: { deny_classes: [], allow_patterns: ['^\\+1'] } }]);
    expect(policy.destination('+19005550100')).toMatchObject({ ok: false, reason: expect.stringContaining('account a1') });
    expect(policy.destination('+442079460000')).toMatchObject({ ok: false, reason: expect.stringContaining('user u1') });
    expect(policy.destination('+14155550100').ok).toBe(true);
  });

  it('lets a caller id through only when the account owns it', async () => {
    const account = await dir.accounts.create({ name: 'acme', realm: 'acme.example.com', outbound: { caller_id_numbers: ['+14155550100', '^\\+1628555\\d{4}$'] } });
    await dir.users.create(account.id, { first_name: 'a', last_name: 'b', caller_id: { external: { number: '4155550111' } } });
    await dir.devices.create(account.id, { name: 'd', sip: { username: 'd1', password: 'p' }, caller_id: { internal: { number: '1001' } } });
    const policy = new OutboundPolicy(dir, plan, account, []);
    for (const owned of ['+14155550100', '4155550100', '+16285550123', '+14155550111', '1001', 'anonymous']) expect({ owned, ok: (await policy.callerId(owned)).ok }).toEqual({ owned, ok: true });
    expect(await policy.callerId('+19175550100')).toMatchObject({ ok: false, cause: 'OUTGOING_CALL_BARRED', reason: expect.stringContaining('+19175550100') });
    expect((await policy.callerId('+19175550100', ['+19175550100'])).ok).toBe(true);
  });

  it("counts the DIDs of the account's users and groups as numbers it owns", async () => {
    const account = await dir.accounts.create({ name: 'acme', realm: 'acme.example.com' });
    await dir.users.create(account.id, { first_name: 'a', last_name: 'b', dids: ['+14155550123'] });
    await dir.groups.create(account.id, { name: 'sales', dids: ['+14155550124'] });
    const other = await dir.accounts.create({ name: 'other', realm: 'other.example.com' });
    await dir.users.create(other.id, { first_name: 'c', last_name: 'd', dids: ['+14155550125'] });
    const policy = new OutboundPolicy(dir, plan, account, []);
    for (const owned of ['+14155550123', '4155550124']) expect({ owned, ok: (await policy.callerId(owned)).ok }).toEqual({ owned, ok: true });
    expect(await policy.callerId('+14155550125')).toMatchObject({ ok: false, cause: 'OUTGOING_CALL_BARRED' });
  });
});
