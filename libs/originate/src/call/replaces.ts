import type { SipParam } from '@legwork/sip';

/** The dialog a Replaces names (RFC 3891 §6.1): its Call-ID and the two tags as the sender wrote them. */
export interface Replaces {
  callId: string;
  toTag: string;
  fromTag: string;
  /** Only an early dialog may be replaced: a confirmed one answers 486. */
  earlyOnly: boolean;
}

export type ReplacesResult = { ok: true; value: Replaces } | { ok: false; reason: string };

// a Refer-To is one header line; a Replaces is a Call-ID and two tags: anything longer is not one
const MAX_LENGTH = 1024;
// RFC 3261 word (a Call-ID's halves) and token (a tag)
const WORD = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+$/;
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

const fail = (reason: string): ReplacesResult => ({ ok: false, reason });

/** The Replaces header among a Refer-To URI's headers, undefined when it has none; more than one is refused. */
export function replacesOf(headers: readonly SipParam[]): ReplacesResult | undefined {
  const found = headers.filter((h) => h.name.toLowerCase() === 'replaces');
  if (found.length === 0) return undefined;
  if (found.length > 1) return fail('more than one Replaces');
  return parseReplaces(found[0].value ?? '');
}

/** A Replaces written as a URI header value (escaped: `%3B` for `;`, `%3D` for `=`), decoded strictly. */
export function parseReplaces(escaped: string): ReplacesResult {
  if (escaped.length === 0) return fail('empty Replaces');
  if (escaped.length > MAX_LENGTH) return fail(`Replaces longer than ${MAX_LENGTH} characters`);
  let text: string;
  try {
    text = decodeURIComponent(escaped);
  } catch {
    return fail('bad %-escape in Replaces');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f]/.test(text)) return fail('control character or space in Replaces');
  const [callId, ...params] = text.split(';');
  const halves = callId.split('@');
  if (halves.length > 2 || !halves.every((h) => WORD.test(h))) return fail('bad Call-ID in Replaces');
  const tags = new Map<string, string | null>();
  for (const param of params) {
    const eq = param.indexOf('=');
    const name = (eq === -1 ? param : param.slice(0, eq)).toLowerCase();
    if (!TOKEN.test(name)) return fail('bad parameter in Replaces');
    if (tags.has(name)) return fail(`${name} given twice in Replaces`);
    tags.set(name, eq === -1 ? null : param.slice(eq + 1));
  }
  const toTag = tags.get('to-tag');
  const fromTag = tags.get('from-tag');
  // both tags are mandatory (RFC 3891 §6.1), each a token: a quoted value is not one
  if (toTag === undefined || fromTag === undefined) return fail('Replaces needs to-tag and from-tag');
  if (toTag === null || !TOKEN.test(toTag)) return fail('bad to-tag in Replaces');
  if (fromTag === null || !TOKEN.test(fromTag)) return fail('bad from-tag in Replaces');
  if (tags.has('early-only') && tags.get('early-only') !== null) return fail('early-only takes no value');
  return { ok: true, value: { callId, toTag, fromTag, earlyOnly: tags.has('early-only') } };
}

/** A dialog's identity as this side holds it. */
export interface DialogIds {
  callId: string;
  localTag: string;
  remoteTag: string;
}

/**
 * Whether the Replaces names this dialog: RFC 3891 compares to-tag with the local tag and from-tag with the remote
 * one; a phone naming its own dialog with us writes them as it sees them, so the reverse matches too.
 */
export function namesDialog(replaces: Replaces, dialog: DialogIds): boolean {
  if (replaces.callId !== dialog.callId) return false;
  const ours = replaces.toTag === dialog.localTag && replaces.fromTag === dialog.remoteTag;
  const theirs = replaces.toTag === dialog.remoteTag && replaces.fromTag === dialog.localTag;
  return ours || theirs;
}

/** Whose a leg is: the account, the user and the device it was placed for. */
export interface LegOwner {
  accountId: string;
  ownerId?: string;
  endpointId?: string;
}

/** A Replaces may only name a dialog of the same device (and its user, if it has one) in the same account; a leg of no device and no user names none. */
export function sameOwner(a: LegOwner, b: LegOwner): boolean {
  if (a.ownerId === undefined && a.endpointId === undefined) return false;
  return a.ownerId === b.ownerId && a.accountId === b.accountId && a.endpointId === b.endpointId;
}
