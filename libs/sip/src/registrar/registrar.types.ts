import type { Contact } from '@legwork/call-state';

export type ReplyHeaders = Array<[string, string]>;

/** What the UA core turns into the REGISTER response (`req.reply(r.status, r)` fits as is). */
export interface RegistrarReply {
  status: number;
  reason: string;
  headers: ReplyHeaders;
  toTag?: string;
  /** On success: the AOR and its bindings after the update, for callers waiting on a device (push wake-up). */
  aor?: string;
  bindings?: Contact[];
  /** The account whose realm the AOR is in. */
  accountId?: string;
}
