import { normalizeNumber } from '../numbers/phone-number';
import { parseDidOwner, parseExtensionOwner } from '../numbering/numbering-indexes';
import type { Account } from '../schemas/account.schema';
import type { Group, GroupType } from '../schemas/group.schema';
import { EXTENSION_PATTERN } from '../schemas/numbering.schema';
import type { AccountDocuments, RepoContext } from './repo-context';

const folded = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= 256 ? v.trim().toLowerCase() : undefined);

/** Finds groups by what the dialects name them with; the documents decide over a lagging index. */
export class GroupLookups {
  constructor(
    private readonly ctx: RepoContext,
    private readonly docs: AccountDocuments<Group>,
    private readonly getAccount: (accountId: string) => Promise<Account>,
    private readonly ownedDeviceIds: (accountId: string, userId: string) => Promise<string[]>,
  ) {}

  async byExtension(accountId: string, extension: string): Promise<Group | null> {
    const wanted = typeof extension === 'string' ? extension.trim() : '';
    if (!EXTENSION_PATTERN.test(wanted)) return null;
    const owner = parseExtensionOwner(await this.ctx.store.hget(this.ctx.keys.extensionIndex(accountId), wanted));
    const group = owner?.kind === 'group' ? await this.docs.find(accountId, owner.id) : null;
    return group?.extension === wanted ? group : null;
  }

  async byDid(accountId: string, number: string): Promise<Group | null> {
    const account = await this.getAccount(accountId).catch(() => null);
    const e164 = account === null ? undefined : normalizeNumber(number, account.country === undefined ? {} : { country: account.country });
    if (e164 === undefined) return null;
    const owner = parseDidOwner(await this.ctx.store.hget(this.ctx.keys.didIndex, e164));
    const group = owner?.kind === 'group' && owner.accountId === accountId ? await this.docs.find(accountId, owner.id) : null;
    return group?.dids?.includes(e164) === true ? group : null;
  }

  async byLabel(accountId: string, label: string): Promise<Group | null> {
    const wanted = folded(label);
    if (wanted === undefined || wanted === '') return null;
    const id = await this.ctx.store.hget(this.ctx.keys.labelIndex(accountId, 'group'), wanted);
    const group = id === null ? null : await this.docs.find(accountId, id);
    return folded(group?.label) === wanted ? group : null;
  }

  async allByName(accountId: string, name: string): Promise<Group[]> {
    const wanted = folded(name);
    if (wanted === undefined || wanted === '') return [];
    return (await this.docs.list(accountId)).filter((g) => folded(g.name) === wanted);
  }

  async forUser(accountId: string, userId: string, type: GroupType | undefined): Promise<Group[]> {
    const devices = new Set(await this.ownedDeviceIds(accountId, userId));
    return (await this.docs.list(accountId)).filter((g) => {
      if (type !== undefined && g.type !== type) return false;
      return Object.entries(g.endpoints).some(([id, e]) => (e.type === 'user' ? id === userId : devices.has(id)));
    });
  }
}
