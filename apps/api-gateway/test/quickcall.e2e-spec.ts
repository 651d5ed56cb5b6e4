import { newId } from '@legwork/common';
import { dataOf, tenant } from '../src/dialects/kazoo/provisioning/testing';
import { startGateway, type GatewayHarness } from './quickcall.harness';
import { describeQuickcall } from './quickcall.suite';

process.env['KAZOO_QUICKCALL_REPLY_MARGIN_MS'] = '200';

describeQuickcall('in-process infrastructure', () => startGateway());

describe('Kazoo quickcall without any media node', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGateway();
  });
  afterAll(() => h.close());

  it("fails GET and POST with 'quickcall initiation failed' and MEDIA_SERVER_UNAVAILABLE", async () => {
    const a = await tenant(h, 'nomedia');
    const device = await h.directory.devices.create(a.id, { name: 'desk', sip: { username: `desk-${newId().slice(0, 6)}`, password: 'pw' } });
    for (const method of ['GET', 'POST']) {
      const res = await a.client.call(method, `/v2/accounts/${a.id}/devices/${device.id}/quickcall/1002`);
      expect(res.status).toBe(500);
      expect(res.body.message).toBe('quickcall initiation failed');
      expect(dataOf(res)['error_message']).toBe('MEDIA_SERVER_UNAVAILABLE');
    }
  });
});
