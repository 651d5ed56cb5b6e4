import { waitFor } from '@legwork/common/testing';
import { newId } from '@legwork/common';
import { buildMessage, callCommandResult, callEvents, gregorianSeconds, routeFor, EXCHANGES, type MessageBody } from '@legwork/contracts';
import { z } from 'zod';
import { dataOf, listOf, tenant } from '../src/dialects/kazoo/provisioning/testing';
import { type GatewayHarness } from './quickcall.harness';

type Tenant = Awaited<ReturnType<typeof tenant>>;
type Json = Record<string, unknown>;

const ENV = { 'App-Name': 'media-node', 'App-Version': '0' };

/** Live channels from the call store, hangup through callctl, and CDRs written from CHANNEL_DESTROY. */
export function describeChannelsAndCdrs(label: string, start: () => Promise<GatewayHarness>): void {
  describe(`Kazoo channels and CDRs (${label})`, () => {
    let h: GatewayHarness;
    let a: Tenant;
    let b: Tenant;

    beforeAll(async () => {
      h = await start();
      a = await tenant(h, 'cha');
      b = await tenant(h, 'chb');
    });
    afterAll(() => h?.close());

    it('lists and shows live channels of the account only, and publishes hangup to the owning node', async () => {
      const nodeId = `node-${newId().slice(0, 8)}`;
      const callId = `${newId()}-quickcall`;
      await h.calls.calls.create({ callId, accountId: a.id, nodeId, leg: 'a', to: '1002', callerIdName: 'Device QuickCall', cav: { crm: 'x' } });
      await h.calls.calls.create({ callId: newId(), accountId: b.id, nodeId, leg: 'a' });

      const list = await a.client.get(`/v2/accounts/${a.id}/channels`);
      expect(list.status).toBe(200);
      expect(listOf(list)).toEqual([expect.objectContaining({ uuid: callId, media_node: nodeId, destination: '1002', caller_id_name: 'Device QuickCall', custom_application_vars: { crm: 'x' } })]);
      const one = await a.client.get(`/v2/accounts/${a.id}/channels/${callId}`);
      expect(dataOf(one)).toMatchObject({ call_id: callId, state: 'new', answered: false });
      expect((await b.client.get(`/v2/accounts/${b.id}/channels/${callId}`)).status).toBe(404);
      expect((await b.client.get(`/v2/accounts/${a.id}/channels`)).status).toBe(403);

      const commands: Json[] = [];
      const queue = await h.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: EXCHANGES.callctl.name, routingKey: `callctl.${nodeId}` }] });
      // the owning node answers every command it runs (call_command_result to the sender's Server-ID)
      const consumer = await h.bus.consume(queue, z.record(z.string(), z.unknown()), async (cmd) => {
        commands.push(cmd);
        const result = buildMessage(callCommandResult, { 'Msg-ID': String(cmd['Msg-ID']), 'Call-ID': String(cmd['Call-ID']), 'Application-Name': 'hangup', Result: 'ok' }, ENV);
        await h.bus.publish(EXCHANGES.targeted.name, String(cmd['Server-ID']), result);
      });
      const bad = await a.client.call('PUT', `/v2/accounts/${a.id}/channels/${callId}`, { data: { action: 'explode' } });
      expect(bad.status).toBe(400);
      const hangup = await a.client.call('PUT', `/v2/accounts/${a.id}/channels/${callId}`, { data: { action: 'hangup' } });
      expect(hangup.status).toBe(202);
      const [cmd] = await waitFor(async () => (commands.length > 0 ? commands : undefined));
      expect(cmd).toMatchObject({ 'Event-Category': 'call', 'Event-Name': 'command', 'Application-Name': 'hangup', 'Call-ID': callId });
      await consumer.cancel();
    });

    it('answers a hangup as the owning node does: 404 when the node no longer has the call, 409 when it cannot end it now', async () => {
      const nodeId = `node-${newId().slice(0, 8)}`;
      const callId = `${newId()}-quickcall`;
      await h.calls.calls.create({ callId, accountId: a.id, nodeId, leg: 'a' });
      let result: 'no_such_call' | 'invalid_state' = 'no_such_call';
      const queue = await h.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: EXCHANGES.callctl.name, routingKey: `callctl.${nodeId}` }] });
      const consumer = await h.bus.consume(queue, z.record(z.string(), z.unknown()), async (cmd) => {
        const body = { 'Msg-ID': String(cmd['Msg-ID']), 'Call-ID': callId, 'Application-Name': 'hangup' as const, Result: result, 'Result-Message': 'said the node', 'Call-State': 'ringing' };
        await h.bus.publish(EXCHANGES.targeted.name, String(cmd['Server-ID']), buildMessage(callCommandResult, body, ENV));
      });
      const gone = await a.client.call('PUT', `/v2/accounts/${a.id}/channels/${callId}`, { data: { action: 'hangup' } });
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({ message: 'bad_identifier', data: { cause: callId, message: 'bad identifier' } });
      result = 'invalid_state';
      const busy = await a.client.call('POST', `/v2/accounts/${a.id}/channels/${callId}`, { data: { action: 'hangup' } });
      expect(busy.status).toBe(409);
      expect(busy.body.data).toMatchObject({ action: { invalid_state: { message: 'said the node', value: 'ringing' } } });
      await consumer.cancel();
    });

    it('hold, unhold and transfer are call_commands to the owning node (transfer: blind_transfer to target); a transfer without target is 400 naming it', async () => {
      const nodeId = `node-${newId().slice(0, 8)}`;
      const callId = `${newId()}-quickcall`;
      await h.calls.calls.create({ callId, accountId: a.id, nodeId, leg: 'a' });
      const commands: Json[] = [];
      const queue = await h.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: EXCHANGES.callctl.name, routingKey: `callctl.${nodeId}` }] });
      // a node that holds once: a second hold finds the call held already
      let held = false;
      const consumer = await h.bus.consume(queue, z.record(z.string(), z.unknown()), async (cmd) => {
        commands.push(cmd);
        const name = cmd['Application-Name'] as 'hold' | 'unhold' | 'blind_transfer';
        const again = name === 'hold' && held;
        held = name === 'hold' ? true : name === 'unhold' ? false : held;
        const outcome = again ? { Result: 'invalid_state' as const, 'Call-State': 'held', 'Result-Message': `call ${callId} is already on hold` } : { Result: 'ok' as const, 'Call-State': name === 'hold' ? 'held' : name === 'unhold' ? 'bridged' : 'ended' };
        await h.bus.publish(EXCHANGES.targeted.name, String(cmd['Server-ID']), buildMessage(callCommandResult, { 'Msg-ID': String(cmd['Msg-ID']), 'Call-ID': callId, 'Application-Name': name, ...outcome }, ENV));
      });
      const put = (data: Json) => a.client.call('PUT', `/v2/accounts/${a.id}/channels/${callId}`, { data });
      const hold = await put({ action: 'hold' });
      expect([hold.status, dataOf(hold)]).toEqual([202, { action: 'hold', call_id: callId, media_node: nodeId, state: 'held' }]);
      const again = await put({ action: 'hold' });
      expect(again.status).toBe(409);
      expect(again.body.data).toMatchObject({ action: { invalid_state: { message: `call ${callId} is already on hold`, value: 'held' } } });
      expect(dataOf(await put({ action: 'unhold' }))).toMatchObject({ action: 'unhold', state: 'bridged' });
      const noTarget = await put({ action: 'transfer' });
      expect(noTarget.status).toBe(400);
      expect(noTarget.body.data).toEqual({ 'data.target': { required: { message: 'action transfer requires target' } } });
      const injected = await put({ action: 'transfer', target: '2600\r\nX-Evil: 1' });
      expect(injected.status).toBe(400);
      expect(Object.keys(injected.body.data as Json)).toEqual(['data.target']);
      const transfer = await put({ action: 'transfer', target: '+14155550100' });
      expect([transfer.status, dataOf(transfer)]).toEqual([202, { action: 'transfer', call_id: callId, media_node: nodeId, state: 'ended', target: '+14155550100' }]);
      expect(commands.map((c) => [c['Application-Name'], c['Transfer-To']])).toEqual([['hold', undefined], ['hold', undefined], ['unhold', undefined], ['blind_transfer', '+14155550100']]);
      await consumer.cancel();
    });

    it("intercept is retrieve to the owning node, Transfer-To the target device's SIP name or the target user's username; a target of no enabled device or user is 400 naming target_id", async () => {
      const nodeId = `node-${newId().slice(0, 8)}`;
      const callId = `${newId()}-quickcall`;
      await h.calls.calls.create({ callId, accountId: a.id, nodeId, leg: 'a' });
      const tag = newId().slice(0, 6);
      const user = dataOf(await a.client.call('PUT', `/v2/accounts/${a.id}/users`, { data: { first_name: 'Ivy', last_name: 'Cept', username: `ivy-${tag}`, password: 'ivy-pw' } }));
      const device = dataOf(await a.client.call('PUT', `/v2/accounts/${a.id}/devices`, { data: { name: 'ivy mobile', owner_id: user['id'], sip: { username: `ivym-${tag}`, password: 'ivym-pw' } } }));
      const commands: Json[] = [];
      const queue = await h.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: EXCHANGES.callctl.name, routingKey: `callctl.${nodeId}` }] });
      const consumer = await h.bus.consume(queue, z.record(z.string(), z.unknown()), async (cmd) => {
        commands.push(cmd);
        await h.bus.publish(EXCHANGES.targeted.name, String(cmd['Server-ID']), buildMessage(callCommandResult, { 'Msg-ID': String(cmd['Msg-ID']), 'Call-ID': callId, 'Application-Name': 'retrieve', Result: 'ok', 'Call-State': 'ringing' }, ENV));
      });
      const put = (data: Json) => a.client.call('PUT', `/v2/accounts/${a.id}/channels/${callId}`, { data });
      const toDevice = await put({ action: 'intercept', target_type: 'device', target_id: device['id'] });
      expect([toDevice.status, dataOf(toDevice)]).toEqual([202, { action: 'intercept', call_id: callId, media_node: nodeId, state: 'ringing', target: `ivym-${tag}` }]);
      expect(dataOf(await put({ action: 'intercept', target_type: 'user', target_id: user['id'] }))).toMatchObject({ action: 'intercept', target: `ivy-${tag}` });
      const missing = await put({ action: 'intercept', target_type: 'device' });
      expect([missing.status, missing.body.data]).toEqual([400, { 'data.target_id': { required: { message: 'action intercept requires target_id' } } }]);
      const unknown = await put({ action: 'intercept', target_type: 'device', target_id: 'nope' });
      expect([unknown.status, Object.keys(unknown.body.data as Json)]).toEqual([400, ['data.target_id']]);
      const hostile = await put({ action: 'intercept', target_type: 'user', target_id: 'a}b\r\n' });
      expect([hostile.status, Object.keys(hostile.body.data as Json)]).toEqual([400, ['data.target_id']]);
      expect(commands.map((c) => [c['Application-Name'], c['Transfer-To']])).toEqual([['retrieve', `ivym-${tag}`], ['retrieve', `ivy-${tag}`]]);
      await consumer.cancel();
    });

    it('record start and stop (Kazoo record_call action) go to the owning node as record_start / record_stop; record without record_action is 400', async () => {
      const nodeId = `node-${newId().slice(0, 8)}`;
      const callId = `${newId()}-quickcall`;
      await h.calls.calls.create({ callId, accountId: a.id, nodeId, leg: 'a' });
      const commands: Json[] = [];
      const queue = await h.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: EXCHANGES.callctl.name, routingKey: `callctl.${nodeId}` }] });
      const consumer = await h.bus.consume(queue, z.record(z.string(), z.unknown()), async (cmd) => {
        commands.push(cmd);
        const name = cmd['Application-Name'] as 'record_start' | 'record_stop';
        const state = name === 'record_start' ? 'recording' : 'idle';
        await h.bus.publish(EXCHANGES.targeted.name, String(cmd['Server-ID']), buildMessage(callCommandResult, { 'Msg-ID': String(cmd['Msg-ID']), 'Call-ID': callId, 'Application-Name': name, Result: 'ok', 'Call-State': state, 'Result-Data': { 'Media-Recording-ID': 'rec-1', 'Recording-State': state } }, ENV));
      });
      const put = (data: Json) => a.client.call('PUT', `/v2/accounts/${a.id}/channels/${callId}`, { data });
      const missing = await put({ action: 'record' });
      expect([missing.status, missing.body.data]).toEqual([400, { 'data.record_action': { required: { message: 'action record requires record_action (start or stop)' } } }]);
      expect((await put({ action: 'record', record_action: 'rewind' })).status).toBe(400);
      const start = await put({ action: 'record', record_action: 'start' });
      expect([start.status, dataOf(start)]).toEqual([202, { action: 'record', call_id: callId, media_node: nodeId, state: 'recording', record_action: 'start', recording_id: 'rec-1' }]);
      expect(dataOf(await put({ action: 'record', record_action: 'stop' }))).toMatchObject({ record_action: 'stop', state: 'idle', recording_id: 'rec-1' });
      expect(commands.map((c) => c['Application-Name'])).toEqual(['record_start', 'record_stop']);
      await consumer.cancel();
    });

    async function destroy(accountId: string, createdAt: number, cavs: Json = {}): Promise<string> {
      const callId = `${newId()}-quickcall`;
      const body = {
        'Call-ID': callId, 'Custom-Channel-Vars': { 'Account-ID': accountId }, 'Custom-Application-Vars': cavs,
        'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 5, 'Billing-Seconds': 3, 'Ringing-Seconds': 2,
        'Channel-Created-Time': createdAt, 'Timestamp-Ms': createdAt + 5000,
      };
      const msg = buildMessage(callEvents.CHANNEL_DESTROY, body as MessageBody<typeof callEvents.CHANNEL_DESTROY>, ENV);
      const { exchange, routingKey } = routeFor(callEvents.CHANNEL_DESTROY, msg);
      await h.bus.publish(exchange, routingKey, msg);
      return callId;
    }

    it('writes a CDR per CHANNEL_DESTROY and serves it with created_from/created_to and paging', async () => {
      const t0 = Date.UTC(2026, 0, 1);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await destroy(a.id, t0 + i * 60_000, { order: i }));
      await destroy(b.id, t0);

      const one = await waitFor(async () => {
        const res = await a.client.get(`/v2/accounts/${a.id}/cdrs/${ids[2]}`);
        return res.status === 200 ? res : undefined;
      });
      expect(dataOf(one)).toMatchObject({ id: ids[2], call_id: ids[2], hangup_cause: 'NORMAL_CLEARING', billing_seconds: 3, custom_application_vars: { order: 2 } });
      await waitFor(async () => ((await a.client.get(`/v2/accounts/${a.id}/cdrs/${ids[0]}`)).status === 200 ? true : undefined));

      const page1 = await a.client.get(`/v2/accounts/${a.id}/cdrs?page_size=2`);
      expect(page1.status).toBe(200);
      expect(listOf(page1).map((c) => c['id'])).toEqual([ids[2], ids[1]]);
      expect(page1.body['page_size']).toBe(2);
      const next = page1.body['next_start_key'];
      expect(typeof next).toBe('string');
      const page2 = await a.client.get(`/v2/accounts/${a.id}/cdrs?page_size=2&start_key=${encodeURIComponent(String(next))}`);
      expect(listOf(page2).map((c) => c['id'])).toEqual([ids[0]]);
      expect(page2.body).not.toHaveProperty('next_start_key');

      const from = gregorianSeconds(t0 + 60_000);
      const ranged = await a.client.get(`/v2/accounts/${a.id}/cdrs?created_from=${from}&created_to=${from}`);
      expect(listOf(ranged).map((c) => c['id'])).toEqual([ids[1]]);

      expect((await a.client.get(`/v2/accounts/${a.id}/cdrs?created_from=soon`)).status).toBe(400);
      expect((await a.client.get(`/v2/accounts/${a.id}/cdrs/${newId()}`)).status).toBe(404);
      expect((await b.client.get(`/v2/accounts/${a.id}/cdrs`)).status).toBe(403);
      expect(listOf(await b.client.get(`/v2/accounts/${b.id}/cdrs`))).toHaveLength(1);
    });
  });
}
