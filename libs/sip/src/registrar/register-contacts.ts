import type { NameAddr } from '../message/name-addr';
import type { SipRequest } from '../message/sip-message';
import { unquote } from '../message/sip-text';
import { serializeUri, unescapeUriPart } from '../message/sip-uri';
import type { ReplyHeaders } from './registrar.types';

/** One Contact of a REGISTER, with its expiry already bounded; expires 0 means remove. */
export interface PlannedBinding {
  uri: string;
  expires: number;
  instanceId?: string;
  regId?: number;
  pushProvider?: string;
  pushPrid?: string;
  pushParam?: string;
}

export type ContactPlan = { kind: 'fetch' } | { kind: 'wildcard' } | { kind: 'bindings'; bindings: PlannedBinding[] };

export type PlanResult = { ok: true; plan: ContactPlan } | { ok: false; status: number; reason: string; headers?: ReplyHeaders };

export interface ExpiryLimits {
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
}

const DELTA_SECONDS = /^\d{1,10}$/;

function bad(reason: string): PlanResult {
  return { ok: false, status: 400, reason };
}

/** RFC 3261 §10.3 step 6 and RFC 5626 §6: what the Contact and Expires header fields ask for. */
export function planContacts(request: SipRequest, limits: ExpiryLimits): PlanResult {
  const expiresHeader = request.headers.get('expires');
  if (expiresHeader !== undefined && !DELTA_SECONDS.test(expiresHeader.trim())) return bad('Bad Expires');
  const headerExpires = expiresHeader === undefined ? undefined : Number(expiresHeader.trim());
  const contacts = request.getContacts();
  if (!contacts.ok) return bad('Bad Contact');
  if (contacts.value === '*') return headerExpires === 0 ? { ok: true, plan: { kind: 'wildcard' } } : bad('Wildcard Contact Requires Expires: 0');
  if (contacts.value.length === 0) return { ok: true, plan: { kind: 'fetch' } };
  const bindings: PlannedBinding[] = [];
  let tooBrief = false;
  for (const contact of contacts.value) {
    const planned = planOne(contact, headerExpires, limits);
    if (typeof planned === 'string') return bad(planned);
    if (planned.expires > 0 && planned.expires < limits.minExpires) tooBrief = true;
    bindings.push(planned);
  }
  if (tooBrief) return { ok: false, status: 423, reason: 'Interval Too Brief', headers: [['Min-Expires', String(limits.minExpires)]] };
  if (bindings.filter((b) => b.regId !== undefined).length > 1) return bad('Several Contacts With reg-id');
  return { ok: true, plan: { kind: 'bindings', bindings } };
}

function planOne(contact: NameAddr, headerExpires: number | undefined, limits: ExpiryLimits): PlannedBinding | string {
  const param = contact.params.get('expires');
  if (param === null || (param !== undefined && !DELTA_SECONDS.test(param))) return 'Bad Contact expires';
  const asked = param !== undefined ? Number(param) : (headerExpires ?? limits.defaultExpires);
  const binding: PlannedBinding = { uri: serializeUri(contact.uri), expires: Math.min(asked, limits.maxExpires) };
  const instance = contact.params.get('+sip.instance');
  if (typeof instance === 'string' && unquote(instance).length > 0) binding.instanceId = unquote(instance);
  const regId = contact.params.get('reg-id');
  // RFC 5626 §6: reg-id without +sip.instance is ignored
  if (binding.instanceId !== undefined && regId !== undefined) {
    if (regId === null || !DELTA_SECONDS.test(regId)) return 'Bad reg-id';
    binding.regId = Number(regId);
  }
  if (contact.uri.kind === 'sip') {
    const push = (name: string): string | undefined => {
      const value = contact.uri.kind === 'sip' ? contact.uri.params.get(name) : undefined;
      return typeof value === 'string' && value.length > 0 ? unescapeUriPart(value) : undefined;
    };
    binding.pushProvider = push('pn-provider')?.toLowerCase();
    binding.pushPrid = push('pn-prid');
    binding.pushParam = push('pn-param');
  }
  return binding;
}
