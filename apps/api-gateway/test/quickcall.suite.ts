import { waitFor } from '@legwork/common/testing';
import { newId } from '@legwork/common';
import { KazooClient, dataOf, tenant } from '../src/dialects/kazoo/provisioning/testing';
import { FakeMediaNode, type GatewayHarness } from './quickcall.harness';

type Tenant = Awaited<ReturnType<typeof tenant>>;
type Json = Record<string, unknown>;

/** Seed 000 over HTTP: GET publishes and answers at once, POST waits for the media node's outcome. */
export function describeQuickcall(label: string, start: () => Promise<GatewayHarness>): void {
  describe(`Kazoo quickcall (${label})`, () => {
    let h: GatewayHarness;
    let node: FakeMediaNode;
    let a: Tenant;
    let b: Tenant;
    let userId: string;
    let deviceId: string;
    let base: string;

    beforeAll(async () => {
      h = await start();
      node = new FakeMediaNode(h.bus, `fake-media-node-${newId().slice(0, 8)}`);
      await node.start();
      a = await tenant(h, 'qca');
      b = await tenant(h, 'qcb');
      const user = await h.directory.users.create(a.id, { first_name: 'Ann', last_name: 'Lee', caller_id: { external: { name: 'Acme', number: '+14155550100' } } });
      userId = user.id;
      deviceId = (await h.directory.devices.create(a.id, { name: 'desk', owner_id: userId, sip: { username: `desk-${newId().slice(0, 6)}`, password: 'pw' } })).id;
      base = `/v2/accounts/${a.id}`;
    });
    afterAll(() => h?.close());
    beforeEach(() => {
      node.requests.length = 0;
      node.mode = { kind: 'answer' };
    });

    const published = async (count: number): Promise<Json[]> => {
      // callers assert on what arrived, so running out of time is not itself a failure
      await waitFor(() => node.requests.length >= count, { timeoutMs: 2_000 }).catch(() => undefined);
      return node.requests;
    };

    it('GET publishes a fire-and-forget originate_req and answers 202 with the normalized request', async () => {
      const res = await a.client.get(`${base}/devices/${deviceId}/quickcall/+1 (415) 555-0199?foo=bar&timeout=20`);
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('success');
      const data = dataOf(res);
      expect(data).toMatchObject({
        application_name: 'transfer', application_data: { route: '+14155550199' }, timeout: 20, media: 'process', ignore_early_media: true,
        outbound_caller_id_name: 'Device QuickCall', outbound_caller_id_number: '+14155550199', outbound_callee_id_number: '+14155550100',
        custom_application_vars: { foo: 'bar' }, dial_endpoint_method: 'simultaneous',
        custom_channel_vars: { account_id: a.id, authorizing_id: deviceId, authorizing_type: 'device' },
      });
      expect(data).not.toHaveProperty('msg_id');
      const [ep] = data['endpoints'] as Json[];
      expect(ep['outbound_call_id']).toMatch(/^[0-9a-f]{36}-quickcall$/);
      expect(ep['custom_channel_vars']).toMatchObject({ auto_answer: true, owner_id: userId });

      const [req] = await published(1);
      expect(req['Server-ID']).toBeUndefined();
      expect(req['Account-ID']).toBe(a.id);
      expect((req['Endpoints'] as Json[])[0]['Outbound-Call-ID']).toBe(ep['outbound_call_id']);
      expect(req['Custom-Application-Vars']).toEqual({ foo: 'bar' });
    });

    it('POST waits for the originate_resp and answers 202 with request and response merged', async () => {
      const res = await a.client.call('POST', `${base}/users/${userId}/quickcall/1002`, { data: { custom_application_vars: { crm: 7 } } });
      expect(res.status).toBe(202);
      const data = dataOf(res);
      const [ep] = data['endpoints'] as Json[];
      expect(data).toMatchObject({ application_response: 'SUCCESS', call_id: ep['outbound_call_id'], media_server: 'fake', application_name: 'transfer', custom_application_vars: { crm: 7 } });
      const [req] = await published(1);
      expect(typeof req['Server-ID']).toBe('string');
    });

    it("POST maps the media node's error to 500 'quickcall initiation failed' with error_message and the request", async () => {
      node.mode = { kind: 'error', message: 'DESTINATION_OUT_OF_ORDER' };
      const res = await a.client.call('POST', `${base}/devices/${deviceId}/quickcall/1002`, {});
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ status: 'error', error: '500', message: 'quickcall initiation failed' });
      expect(dataOf(res)).toMatchObject({ error_message: 'DESTINATION_OUT_OF_ORDER', request: { application_name: 'transfer', application_data: { route: '1002' } } });
    });

    it('the channel limit surfaces as a failed quickcall with error_message channel_limit_reached', async () => {
      node.mode = { kind: 'error', message: 'channel_limit_reached' };
      const res = await a.client.call('POST', `${base}/devices/${deviceId}/quickcall/1002`, {});
      expect(res.status).toBe(500);
      expect(dataOf(res)['error_message']).toBe('channel_limit_reached');
    });

    it("POST answers 500 'timeout' when no media node answers within the ring timeout", async () => {
      node.mode = { kind: 'silent' };
      const res = await a.client.call('POST', `${base}/devices/${deviceId}/quickcall/1002?timeout=4`, {});
      expect(res.status).toBe(500);
      expect(res.body.message).toBe('timeout');
    });

    it('replays the first answer for a repeated Idempotency-Key and starts no second call', async () => {
      const key = newId();
      const first = await a.client.call('POST', `${base}/devices/${deviceId}/quickcall/1003`, {}, { 'idempotency-key': key });
      const second = await a.client.call('POST', `${base}/devices/${deviceId}/quickcall/1003`, {}, { 'idempotency-key': key });
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(dataOf(second)).toEqual(dataOf(first));
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(second.headers['idempotent-replayed']).toBe('true');
      await new Promise((r) => setTimeout(r, 100));
      expect(node.requests).toHaveLength(1);
      const other = await a.client.call('POST', `${base}/devices/${deviceId}/quickcall/1003`, {}, { 'idempotency-key': newId() });
      expect(other.status).toBe(202);
      expect(await published(2)).toHaveLength(2);
    });

    it('answers 422 in Kazoo shape when an Idempotency-Key comes back with another request, and rings nothing for it', async () => {
      const key = newId();
      const first = await a.client.call('POST', `${base}/devices/${deviceId}/quickcall/1004`, {}, { 'idempotency-key': key });
      expect(first.status).toBe(202);
      for (const [verb, path, body] of [['POST', '1005', {}], ['POST', '1004', { data: { 'cid-name': 'Other' } }], ['GET', '1004', undefined]] as const) {
        const res = verb === 'GET'
          ? await a.client.call('GET', `${base}/devices/${deviceId}/quickcall/${path}`, undefined, { 'idempotency-key': key })
          : await a.client.call(verb, `${base}/devices/${deviceId}/quickcall/${path}`, body, { 'idempotency-key': key });
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ status: 'error', error: '422', message: 'idempotency conflict', data: { idempotency_key: { conflict: { value: key } } } });
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(node.requests).toHaveLength(1);
    });

    it('fails a user without devices and a disabled device the same way, publishing nothing', async () => {
      const lonely = await h.directory.users.create(a.id, { first_name: 'No', last_name: 'Phones' });
      const res = await a.client.call('POST', `${base}/users/${lonely.id}/quickcall/1002`, {});
      expect(res.status).toBe(500);
      expect(res.body.message).toBe('quickcall initiation failed');
      expect(dataOf(res)).toMatchObject({ error_message: 'DESTINATION_OUT_OF_ORDER', request: { endpoints: [] } });
      const off = await h.directory.devices.create(a.id, { name: 'off', enabled: false, sip: { username: `off-${newId().slice(0, 6)}`, password: 'pw' } });
      const get = await a.client.get(`${base}/devices/${off.id}/quickcall/1002`);
      expect(get.status).toBe(500);
      expect(dataOf(get)['error_message']).toBe('DESTINATION_OUT_OF_ORDER');
      await new Promise((r) => setTimeout(r, 100));
      expect(node.requests).toHaveLength(0);
    });

    it("answers 400 'invalid data' for bad options and 404 for unknown devices", async () => {
      const bad = await a.client.get(`${base}/devices/${deviceId}/quickcall/1002?media=sometimes`);
      expect(bad.status).toBe(400);
      expect(bad.body.data).toMatchObject({ media: { enum: { value: 'sometimes' } } });
      const unknown = await a.client.get(`${base}/devices/${newId()}/quickcall/1002`);
      expect(unknown.status).toBe(404);
    });

    it('keeps tokens to their account (403) and requires one unless anonymous quickcalls are allowed', async () => {
      expect((await b.client.get(`${base}/devices/${deviceId}/quickcall/1002`)).status).toBe(403);
      const anonymous = new KazooClient(h.url);
      expect((await anonymous.get(`${base}/devices/${deviceId}/quickcall/1002`)).status).toBe(401);
      expect((await anonymous.get(`${base}/devices/${newId()}/quickcall/1002`)).status).toBe(401);
      const open = await h.directory.users.create(a.id, { first_name: 'Open', last_name: 'Door', allow_anonymous_quickcalls: true });
      await h.directory.devices.create(a.id, { name: 'lobby', owner_id: open.id, sip: { username: `lobby-${newId().slice(0, 6)}`, password: 'pw' } });
      expect((await anonymous.get(`${base}/users/${open.id}/quickcall/1002`)).status).toBe(202);
      expect(await published(1)).toHaveLength(1);
    });
  });
}
