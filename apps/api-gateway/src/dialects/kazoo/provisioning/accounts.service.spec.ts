import { createDirectory, type Directory } from '@legwork/directory';
import { KazooError, type KazooAuth } from '../core/kazoo.contract';
import { AccountDocumentsService } from './account-documents.service';
import { AccountsService } from './accounts.service';
import { ProvisioningDirectory } from './provisioning-directory.provider';

const as = (accountId: string): KazooAuth => ({ accountId, method: 'api_key', role: 'admin', token: 't' });

describe('provisioning services (in-process directory)', () => {
  let directory: Directory;
  let accounts: AccountsService;
  let docs: AccountDocumentsService;
  let rootId: string;

  beforeEach(async () => {
    directory = createDirectory();
    const dir = new ProvisioningDirectory(directory);
    accounts = new AccountsService(dir);
    docs = new AccountDocumentsService(dir);
    rootId = (await directory.accounts.create({ name: 'root', realm: 'root.example' })).id;
  });
  afterEach(() => directory.close());

  it('creates sub-accounts under the path account and lists them as children', async () => {
    const child = await accounts.createChild(rootId, { name: 'child', realm: 'child.example' });
    expect(child.parent_id).toBe(rootId);
    expect((await accounts.children(rootId)).map((a) => a.id)).toEqual([child.id]);
  });

  it('lets a parent set a sub-account limits but not the sub-account itself', async () => {
    const child = await accounts.createChild(rootId, { name: 'child', realm: 'child.example', limits: { max_concurrent_channels: 1 } });
    const self = await accounts.patch(as(child.id), child.id, { limits: { max_concurrent_channels: 99 }, timezone: 'UTC' });
    expect(self.limits).toEqual({ max_concurrent_channels: 1 });
    expect(self.timezone).toBe('UTC');
    const replaced = await accounts.replace(as(child.id), child.id, { name: 'child', realm: 'child.example' });
    expect(replaced.limits).toEqual({ max_concurrent_channels: 1 });
    const byParent = await accounts.patch(as(rootId), child.id, { limits: { max_concurrent_channels: 4 } });
    expect(byParent.limits).toEqual({ max_concurrent_channels: 4 });
  });

  it('never deletes the caller own account, and returns what it deleted', async () => {
    await expect(accounts.remove(as(rootId), rootId)).rejects.toBeInstanceOf(KazooError);
    const child = await accounts.createChild(rootId, { name: 'child', realm: 'child.example' });
    expect((await accounts.remove(as(rootId), child.id)).id).toBe(child.id);
    expect(await directory.accounts.find(child.id)).toBeNull();
  });

  it('runs the five verbs on account documents and hands back the deleted one', async () => {
    const user = await docs.create('users', rootId, { first_name: 'A', last_name: 'B', caller_id: { internal: { number: '1' } } });
    const merged = await docs.patch('users', rootId, user.id, { last_name: 'C' });
    expect(merged).toMatchObject({ first_name: 'A', last_name: 'C', caller_id: { internal: { number: '1' } } });
    const replaced = await docs.replace('users', rootId, user.id, { first_name: 'D', last_name: 'E' });
    expect(replaced.caller_id).toBeUndefined();
    await expect(docs.patch('users', rootId, user.id, { last_name: 'F' }, { all: true }, user.revision)).rejects.toMatchObject({ code: 'conflict' });
    expect((await docs.list('users', rootId)).map((u) => u.id)).toEqual([user.id]);
    expect((await docs.remove('users', rootId, user.id)).first_name).toBe('D');
    await expect(docs.get('users', rootId, user.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reports validation failures in Kazoo shape with the submitted value', async () => {
    const err = await docs.create('resources', rootId, { name: 'r', gateways: [{ server: 'bad host!' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KazooError);
    expect((err as KazooError).data).toMatchObject({ 'gateways.0.server': { format: { value: 'bad host!' } } });
  });
});
