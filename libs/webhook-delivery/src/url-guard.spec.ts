import { UrlGuard } from './url-guard';

describe('UrlGuard', () => {
  const strict = new UrlGuard();

  it.each(['http://10.0.0.1/', 'http://127.0.0.1:8080/x', 'http://169.254.169.254/latest', 'http://192.168.1.10/', 'http://172.16.5.4/', 'http://[::1]/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://[::ffff:10.0.0.1]/', 'http://0.0.0.0/', 'http://localhost/'])(
    'refuses %s without an allow-list entry',
    async (uri) => {
      expect(await strict.check(uri)).toEqual({ ok: false, reason: expect.stringMatching(/private or reserved/) });
    },
  );

  it('accepts public addresses and refuses non-http schemes and credentials', async () => {
    expect(await strict.check('https://93.184.215.14/hook')).toMatchObject({ ok: true });
    expect(await strict.check('ftp://93.184.215.14/')).toEqual({ ok: false, reason: 'must be an http(s) URL' });
    expect(await strict.check('not a url')).toEqual({ ok: false, reason: 'must be an http(s) URL' });
    expect(await strict.check('http://u:p@93.184.215.14/')).toEqual({ ok: false, reason: 'must not carry credentials' });
  });

  it('lets the allow-list name hosts, addresses and CIDRs', async () => {
    const guard = new UrlGuard(['127.0.0.1', '10.1.0.0/16', 'hooks.internal', 'fd00::/8']);
    expect(await guard.check('http://127.0.0.1:9000/')).toMatchObject({ ok: true });
    expect(await guard.check('http://10.1.2.3/')).toMatchObject({ ok: true });
    expect(await guard.check('http://10.2.0.1/')).toMatchObject({ ok: false });
    expect(await guard.check('http://hooks.internal/')).toMatchObject({ ok: true });
    expect(await guard.check('http://[fd00::5]/')).toMatchObject({ ok: true });
    expect(guard.addressAllowed('127.0.0.2')).toBe(false);
  });

  it('refuses at connect time a name that resolves to a private address (DNS rebinding)', async () => {
    const err = await new Promise<Error | null>((resolve) => strict.lookup('localhost', {}, (e) => resolve(e)));
    expect(err?.message).toMatch(/refused address/);
    const ok = await new Promise<string | undefined>((resolve) => new UrlGuard(['127.0.0.1', '::1']).lookup('localhost', {}, (_e, address) => resolve(String(address))));
    expect(ok).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
