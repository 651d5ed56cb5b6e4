import { buildMessage, callEvents, gregorianSeconds, type MessageBody } from '@legwork/contracts';
import { cdrFromDestroy } from './cdr.record';

describe('cdrFromDestroy', () => {
  it('keeps the normalized event with its CAVs, per account, timed from channel creation', () => {
    const created = Date.UTC(2026, 0, 1);
    const body = {
      'Call-ID': 'leg-1', 'Custom-Channel-Vars': { 'Account-ID': 'acct' }, 'Custom-Application-Vars': { CamelKey: 'kept' },
      'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 5, 'Billing-Seconds': 3, 'Ringing-Seconds': 2, 'Channel-Created-Time': created,
    };
    const event = buildMessage(callEvents.CHANNEL_DESTROY, body as MessageBody<typeof callEvents.CHANNEL_DESTROY>, { 'App-Name': 'mn', 'App-Version': '1' });
    const cdr = cdrFromDestroy(event);
    expect(cdr).toMatchObject({ id: 'leg-1', accountId: 'acct', createdAt: created });
    expect(cdr.doc).toMatchObject({
      id: 'leg-1', call_id: 'leg-1', account_id: 'acct', hangup_cause: 'NORMAL_CLEARING', billing_seconds: 3,
      custom_application_vars: { CamelKey: 'kept' }, custom_channel_vars: { account_id: 'acct' }, created: gregorianSeconds(created),
    });
    expect(cdr.doc).not.toHaveProperty('msg_id');
  });

  it('reads Channel-Created-Time in microseconds, as FreeSWITCH and Kazoo send it', () => {
    const created = Date.UTC(2026, 0, 1);
    const body = { 'Call-ID': 'leg-2', 'Custom-Channel-Vars': { 'Account-ID': 'acct' }, 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 1, 'Billing-Seconds': 1, 'Ringing-Seconds': 0, 'Channel-Created-Time': created * 1000 };
    const event = buildMessage(callEvents.CHANNEL_DESTROY, body as MessageBody<typeof callEvents.CHANNEL_DESTROY>, { 'App-Name': 'mn', 'App-Version': '1' });
    const cdr = cdrFromDestroy(event);
    expect(cdr.createdAt).toBe(created);
    expect(cdr.doc).toMatchObject({ created: gregorianSeconds(created) });
  });

  it("names the call's recordings (recording_ids) as the media node's CHANNEL_DESTROY lists them", () => {
    const body = { 'Call-ID': 'leg-3', 'Custom-Channel-Vars': { 'Account-ID': 'acct' }, 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 9, 'Billing-Seconds': 8, 'Ringing-Seconds': 1, 'Recording-IDs': ['r-1', 'r-2'] };
    const event = buildMessage(callEvents.CHANNEL_DESTROY, body as MessageBody<typeof callEvents.CHANNEL_DESTROY>, { 'App-Name': 'mn', 'App-Version': '1' });
    expect(cdrFromDestroy(event).doc).toMatchObject({ recording_ids: ['r-1', 'r-2'] });
  });
});
