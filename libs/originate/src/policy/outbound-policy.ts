import type { Account, CallerId, Directory, OutboundRules } from '@legwork/directory';

/** What the policy reads of an account (a request for an account that is gone gets the defaults). */
export type PolicyAccount = Pick<Account, 'id'> & Partial<Pick<Account, 'country' | 'outbound'>>;
import { tryUserPattern } from '@legwork/common';
import { type NumberPlan, normalizeE164 } from '../routing/e164';
import { numberFacts } from './number-class';
import { type RuleSource, refusalBy } from './outbound-rules';

/** Q.850 52: what a refused destination or caller id ends the originate with (Kazoo's name). */
export const OUTGOING_CALL_BARRED = 'OUTGOING_CALL_BARRED';

export type OutboundVerdict = { ok: true } | { ok: false; cause: typeof OUTGOING_CALL_BARRED; reason: string };

const OK: OutboundVerdict = { ok: true };
const barred = (reason: string): OutboundVerdict => ({ ok: false, cause: OUTGOING_CALL_BARRED, reason });
const FORMATTING = /[\s().\-/]/g;

/** The rules one request is held to: its account's, narrowed by those of every user whose device originates. */
export class OutboundPolicy {
  private readonly sources: RuleSource[];
  private readonly account: PolicyAccount;
  /** Made on the first number checked: a call keeps its policy for its life, most never dial out again. */
  private verdicts: Map<string, OutboundVerdict> | undefined;
  private owned: Promise<Set<string>> | undefined;

  constructor(
    private readonly directory: Directory,
    private readonly plan: NumberPlan,
    account: PolicyAccount,
    users: Array<{ id: string; rules: OutboundRules }>,
  ) {
    // what the rules read of the account, not its whole document: a call keeps its policy for its life (blind transfers)
    this.account = { id: account.id, ...(account.country !== undefined ? { country: account.country } : {}), ...(account.outbound !== undefined ? { outbound: account.outbound } : {}) };
    this.sources = [{ owner: `account ${account.id}`, rules: account.outbound ?? {}, defaults: true }, ...users.map((u) => ({ owner: `user ${u.id}`, rules: u.rules, defaults: false }))];
  }

  /** A destination as dialled; what is not an E.164-reconcilable number (an extension, a device name) is not dialled out. */
  destination(dialled: string): OutboundVerdict {
    const e164 = normalizeE164(dialled, this.plan);
    if (e164 === undefined) return OK;
    const known = this.verdicts?.get(e164);
    if (known !== undefined) return known;
    const facts = numberFacts(e164);
    let verdict = OK;
    for (const source of this.sources) {
      const why = refusalBy(source, facts, this.account.country);
      if (why !== undefined) {
        verdict = barred(why);
        break;
      }
    }
    (this.verdicts ??= new Map()).set(e164, verdict);
    return verdict;
  }

  /**
   * A caller-id number presented toward a carrier: the account must own it — a number in its `outbound.caller_id_numbers`
   * (or matching a pattern there), or one configured on its users or devices, or a DID of its users or groups. `anonymous` claims no number.
   */
  async callerId(number: string, ownKnown: Array<string | undefined> = []): Promise<OutboundVerdict> {
    if (number.toLowerCase() === 'anonymous') return OK;
    const key = this.key(number);
    if (ownKnown.some((n) => n !== undefined && this.key(n) === key)) return OK;
    for (const entry of this.account.outbound?.caller_id_numbers ?? []) {
      if (/^\+?[0-9]+$/.test(entry) ? this.key(entry) === key : tryUserPattern(entry)?.test(key) === true) return OK;
    }
    if ((await this.ownedNumbers()).has(key)) return OK;
    return barred(`caller id ${number} is not a number of account ${this.account.id}`);
  }

  private key(number: string): string {
    return normalizeE164(number, this.plan) ?? number.replace(FORMATTING, '');
  }

  /** Every caller-id number configured on the account's users and devices, read once per request and only when needed. */
  private ownedNumbers(): Promise<Set<string>> {
    this.owned ??= (async () => {
      const id = this.account.id;
      const [users, devices, groups] = await Promise.all([this.directory.users.list(id), this.directory.devices.list(id), this.directory.groups.list(id)]);
      const out = new Set<string>();
      const add = (cid: CallerId | undefined): void => {
        for (const entry of [cid?.external, cid?.internal, cid?.emergency]) if (entry?.number !== undefined) out.add(this.key(entry.number));
      };
      for (const doc of [...users, ...devices]) add(doc.caller_id);
      // a DID routed to a user or group is the account's number, so it may be presented as caller id
      for (const doc of [...users, ...groups]) for (const did of doc.dids ?? []) out.add(this.key(did));
      return out;
    })();
    return this.owned;
  }
}
