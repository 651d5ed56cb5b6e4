/**
 * Key layout. Every key starts with the prefix and carries a `{…}` hash tag, so all keys a
 * Lua script touches together (one call, one account, one node) land in one Cluster slot.
 */
export class CallStoreKeys {
  constructor(readonly prefix: string) {}

  call(callId: string): string {
    return `${this.prefix}{call:${callId}}`;
  }

  accountCalls(accountId: string): string {
    return `${this.prefix}{acct:${accountId}}:calls`;
  }

  accountChannels(accountId: string): string {
    return `${this.prefix}{acct:${accountId}}:channels`;
  }

  accountCps(accountId: string): string {
    return `${this.prefix}{acct:${accountId}}:cps`;
  }

  accountBucket(accountId: string): string {
    return `${this.prefix}{acct:${accountId}}:bucket`;
  }

  /** The account's event log (a stream); its calls' sequence counters share its slot, so one script writes both. */
  accountEvents(accountId: string): string {
    return `${this.prefix}{acct:${accountId}}:events`;
  }

  /** The newest id trimmed from the account's log: a cursor older than it missed entries. */
  accountEventsDropped(accountId: string): string {
    return `${this.prefix}{acct:${accountId}}:events:dropped`;
  }

  eventSequence(accountId: string, sequenceId: string): string {
    return `${this.prefix}{acct:${accountId}}:seq:${sequenceId}`;
  }

  nodeCalls(nodeId: string): string {
    return `${this.prefix}{node:${nodeId}}:calls`;
  }

  nodeHeartbeat(nodeId: string): string {
    return `${this.prefix}{node:${nodeId}}:hb`;
  }

  nodeSweep(nodeId: string): string {
    return `${this.prefix}{node:${nodeId}}:sweep`;
  }

  /** Accounts this node holds channels in, so reap(node) knows where to look. */
  nodeAccounts(nodeId: string): string {
    return `${this.prefix}{node:${nodeId}}:accounts`;
  }

  nodeRegistry(): string {
    return `${this.prefix}nodes`;
  }

  registration(aor: string): string {
    return `${this.prefix}{reg:${aor}}`;
  }

  /** Same slot as the AOR's bindings. */
  lastPush(aor: string): string {
    return `${this.prefix}{reg:${aor}}:push`;
  }

  pushPrid(prid: string): string {
    return `${this.prefix}{pn:${prid}}`;
  }

  /** One key per digest nonce: accept() is a one-key script, so any slot will do. */
  nonce(nonce: string): string {
    return `${this.prefix}{nonce:${nonce}}`;
  }

  /** One key per IMRN: allocate and claim touch one number at a time, so any slot will do. */
  imrn(imrn: string): string {
    return `${this.prefix}{imrn:${imrn}}`;
  }

  idempotency(scope: string, key: string): string {
    return `${this.prefix}idem:{${scope}:${key}}`;
  }
}
