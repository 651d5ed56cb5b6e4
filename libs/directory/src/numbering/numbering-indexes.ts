import { sha256Hex } from '../credentials/hashing';
import type { UniqueIndex } from '../documents/document-writer';
import type { AccountDoc, RepoContext } from '../repos/repo-context';
import type { ExtensionKind } from '../schemas/numbering.schema';

const lower = (v: string | undefined): string | undefined => v?.trim().toLowerCase();

/** The account's one extension namespace: a user, a device and a group never share an extension. */
export function extensionUnique<D extends AccountDoc & { extension?: string }>(ctx: RepoContext, kind: ExtensionKind): UniqueIndex<D> {
  return { field: 'extension', hashKey: (d) => ctx.keys.extensionIndex(d.account_id), value: (d) => d.extension, owner: (d) => `${kind}/${d.id}` };
}

/** DIDs (E.164) are unique platform-wide, across users and groups. */
export function didsUnique<D extends AccountDoc & { dids?: string[] }>(ctx: RepoContext, kind: 'user' | 'group'): UniqueIndex<D> {
  return { field: 'dids', hashKey: () => ctx.keys.didIndex, value: (d) => d.dids ?? [], owner: (d) => `${d.account_id}/${kind}/${d.id}` };
}

/** Labels are unique (case-insensitive) among the account's documents of one kind. */
export function labelUnique<D extends AccountDoc & { label?: string }>(ctx: RepoContext, kind: 'user' | 'group'): UniqueIndex<D> {
  return { field: 'label', hashKey: (d) => ctx.keys.labelIndex(d.account_id, kind), value: (d) => lower(d.label), owner: (d) => d.id };
}

export function emailUnique<D extends AccountDoc & { email?: string }>(ctx: RepoContext): UniqueIndex<D> {
  return { field: 'email', hashKey: (d) => ctx.keys.emailIndex(d.account_id), value: (d) => lower(d.email), owner: (d) => d.id };
}

export function mobileUnique<D extends AccountDoc & { mobile_number?: string }>(ctx: RepoContext): UniqueIndex<D> {
  return { field: 'mobile_number', hashKey: (d) => ctx.keys.mobileIndex(d.account_id), value: (d) => d.mobile_number, owner: (d) => d.id };
}

/** A push prid can be 4 KiB: indexed by its SHA-256. */
export function pushIdUnique<D extends AccountDoc & { push?: { prid: string } }>(ctx: RepoContext): UniqueIndex<D> {
  return { field: 'push.prid', hashKey: (d) => ctx.keys.pushIndex(d.account_id), value: (d) => (d.push === undefined ? undefined : sha256Hex(d.push.prid)), owner: (d) => d.id };
}

/** The `<kind>/<id>` an extension index entry names, or null. */
export function parseExtensionOwner(entry: string | null): { kind: ExtensionKind; id: string } | null {
  const [kind, id] = entry?.split('/') ?? [];
  return (kind === 'user' || kind === 'device' || kind === 'group') && id !== undefined ? { kind, id } : null;
}

/** The `<account>/<kind>/<id>` a DID index entry names, or null. */
export function parseDidOwner(entry: string | null): { accountId: string; kind: 'user' | 'group'; id: string } | null {
  const [accountId, kind, id] = entry?.split('/') ?? [];
  return accountId !== undefined && (kind === 'user' || kind === 'group') && id !== undefined ? { accountId, kind, id } : null;
}
