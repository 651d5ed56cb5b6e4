import type { Account, Device, Group, Resource, User } from '@legwork/directory';

/** Bookkeeping kept out of `data`: revision goes in the envelope, the rest is internal like Kazoo's pvt_* fields. */
const HIDDEN = new Set(['account_id', 'tree', 'revision']);

/** Write-only fields: passwords, signing secrets, digest HA1s and anything internal (`pvt_*`). */
const SECRET = /^pvt_|^password$|^secret$|ha1/i;

function withoutSecrets(obj: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([key]) => !SECRET.test(key)));
}

/**
 * A document with every write-only field removed, where a document keeps them: top level, the device's
 * `sip` and each resource gateway. Secrets are accepted on writes and never returned.
 */
export function redactSecrets<D extends object>(doc: D): Record<string, unknown> {
  const out = withoutSecrets(doc);
  if (isObject(out['sip'])) out['sip'] = withoutSecrets(out['sip']);
  if (Array.isArray(out['gateways'])) out['gateways'] = out['gateways'].map((g: unknown) => (isObject(g) ? withoutSecrets(g) : g));
  return out;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stored document as Kazoo returns it in `data` (id included), without bookkeeping or secrets. */
export function documentView<D extends object>(doc: D): Record<string, unknown> {
  return Object.fromEntries(Object.entries(redactSecrets(doc)).filter(([key]) => !HIDDEN.has(key)));
}

/** Listing row of GET /accounts/{id}/children. */
export function accountSummary(a: Account): Record<string, unknown> {
  return { id: a.id, name: a.name, realm: a.realm, enabled: a.enabled };
}

/** Listing row of GET .../users, Kazoo's crossbar_listing view. */
export function userSummary(u: User): Record<string, unknown> {
  return { id: u.id, first_name: u.first_name, last_name: u.last_name, username: u.username, email: u.email, priv_level: u.priv_level, presence_id: u.presence_id, enabled: u.enabled };
}

/** Listing row of GET .../devices; Kazoo names the SIP user `username` here. */
export function deviceSummary(d: Device): Record<string, unknown> {
  return { id: d.id, name: d.name, username: d.sip.username, owner_id: d.owner_id, enabled: d.enabled, device_type: d.device_type };
}

/** Listing row of GET .../resources. */
export function resourceSummary(r: Resource): Record<string, unknown> {
  return { id: r.id, name: r.name, enabled: r.enabled, weight_cost: r.weight_cost, flags: r.flags };
}

/** Listing row of GET .../groups: Kazoo's groups listing (name, member count) plus the numbering fields. */
export function groupSummary(g: Group): Record<string, unknown> {
  return { id: g.id, name: g.name, type: g.type, strategy: g.strategy, extension: g.extension, label: g.label, endpoints: Object.keys(g.endpoints).length };
}
