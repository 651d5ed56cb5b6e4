import { LegworkError } from '@legwork/common';
import { callerOfClient, type ClientTokenClaims, type Directory, type Operation } from '@legwork/directory';
import type { CallView, OriginateOptions, OriginateRequestBody, OriginateSpec, OriginationClient } from '@legwork/originate-client';
import { VoipnowError } from '../core/voipnow-error';
import { parsePhoneCallRequest, type PhoneCallView } from './phone-call.request';
import { parseUserSelector, resolveDestination, resolvePhoneTerminal, resolveRoute, resolveSources, type PhoneTerminal } from './phone-call.parties';
import { phoneCallId, type PhoneCallRecord, type PhoneCallRecords } from './phone-call.records';
import { checkCallerIdRight, phoneCallSpec, type SpecDefaults } from './phone-call.spec-builder';
import { startedLegs } from './phone-call.outcome';
import { parsePhoneCallUpdate, updateCommand, updateOutcome } from './phone-call.update';
import { fromCallView, fromCdr, phoneCallView, type LegSnapshot } from './phone-call.view';

/** One created phone call, as the seed's 202 lists them. */
export interface PhoneCallAnswer {
  id: string;
  extension: string;
  link: { self: string };
}

export interface PhoneCallsDeps {
  directory: Directory;
  client: OriginationClient;
  records: PhoneCallRecords;
  /** A leg's CDR once call-state no longer holds it. */
  cdrs: { get(accountId: string, callId: string): Promise<Record<string, unknown> | null> };
  /** The one place a spec becomes an originate_req body (the origination client's builder). */
  buildRequest: (spec: OriginateSpec) => OriginateRequestBody;
  defaults: SpecDefaults;
  ttlMs: number;
  now?: () => number;
}

interface Prepared {
  terminal: PhoneTerminal;
  view: PhoneCallView;
  labels: string[];
  spec: OriginateSpec;
}

/** PhoneCalls simple and link.self: validate, resolve against the directory, originate, remember, read back. */
export class PhoneCallsService {
  constructor(private readonly deps: PhoneCallsDeps) {}

  /** Every phone call of the request is checked before the first one is made. */
  async create(app: ClientTokenClaims, userId: string | undefined, query: Record<string, unknown>, body: unknown, baseUrl: string): Promise<PhoneCallAnswer[]> {
    const selector = parseUserSelector(userId);
    const req = parsePhoneCallRequest(query, body);
    const prepared: Prepared[] = [];
    for (const view of req.views) {
      const terminal = await resolvePhoneTerminal(this.deps.directory, app, selector, req, view);
      await this.authorize(app, 'originate.device', terminal.account.id, { targetId: terminal.device.id });
      const { labels, ...sources } = await resolveSources(this.deps.directory, app, terminal, view);
      const destination = await resolveDestination(this.deps.directory, terminal, view);
      checkCallerIdRight(app, terminal, view);
      prepared.push({ terminal, view, labels, spec: phoneCallSpec(app, terminal, { ...sources, labels, destination }, req, view, this.deps.defaults) });
    }
    const answers: PhoneCallAnswer[] = [];
    for (const p of prepared) answers.push(await this.originate(app, p, baseUrl));
    return answers;
  }

  async get(app: ClientTokenClaims, userId: string | undefined, extension: string | undefined, id: string | undefined, baseUrl: string): Promise<Record<string, unknown>> {
    const record = await this.find(app, userId, extension, id, 'call.read');
    const legs = await Promise.all(record.legs.map((l) => this.leg(record.accountId, l.callId)));
    const answered = legs.find((l) => l?.peerCallId !== undefined);
    const destination = answered?.peerCallId === undefined ? undefined : await this.leg(record.accountId, answered.peerCallId);
    return phoneCallView(record, this.link(baseUrl, record), legs, destination);
  }

  /** Hangs up every leg still up (a ringing source is cancelled, the answered one ends the bridged call). */
  async hangup(app: ClientTokenClaims, userId: string | undefined, extension: string | undefined, id: string | undefined): Promise<void> {
    const record = await this.find(app, userId, extension, id, 'call.hangup');
    for (const { callId } of record.legs) {
      const live = await this.deps.client.call(callId);
      if (live === undefined || live.state === 'ended') continue;
      try {
        await this.deps.client.command(callId, 'hangup');
      } catch (err) {
        if (err instanceof LegworkError && err.code === 'command_timeout') throw new VoipnowError(504, 'pc_command_timeout', 'the media server did not confirm the hangup in time');
        throw err;
      }
    }
  }

  /** Hold, unhold, transfer and recording of the connected call, over the call-control plane. */
  async update(app: ClientTokenClaims, userId: string | undefined, extension: string | undefined, id: string | undefined, body: unknown): Promise<void> {
    const record = await this.find(app, userId, extension, id, 'call.hangup');
    const update = parsePhoneCallUpdate(body);
    const legs = await Promise.all(record.legs.map((l) => this.deps.client.call(l.callId)));
    const phoneLeg = legs.find((l) => l !== undefined && l.state !== 'ended' && l.answered === true);
    if (phoneLeg === undefined) throw new VoipnowError(409, 'pc_state_invalid', 'the phone call is not connected');
    const { callId, command } = updateCommand(update, phoneLeg);
    const args: Record<string, unknown> = {};
    if (update.action === 'transfer') {
      args['Transfer-To'] = await resolveRoute(this.deps.directory, await this.deps.directory.accounts.get(record.accountId), update.sendCallTo);
      await this.checkPublicTransfer(record, phoneLeg);
    }
    try {
      updateOutcome(await this.deps.client.command(callId, command, { args }));
    } catch (err) {
      if (err instanceof LegworkError && err.code === 'command_timeout') throw new VoipnowError(504, 'pc_command_timeout', 'the media server did not confirm the update in time');
      throw err;
    }
  }

  /** allowPublicTransfer: a call made to a public number is transferred only when the request allowed it (a local call always is). */
  private async checkPublicTransfer(record: PhoneCallRecord, phoneLeg: CallView): Promise<void> {
    if (phoneLeg.customApplicationVars?.['VoipNow-Allow-Public-Transfer'] === true) return;
    const local = await this.deps.directory.numbering.findExtension(record.accountId, record.destination);
    if (local === null) throw new VoipnowError(403, 'pc_transfer_not_allowed', 'the phone call was made to a public number without allowPublicTransfer');
  }

  private async originate(app: ClientTokenClaims, p: Prepared, baseUrl: string): Promise<PhoneCallAnswer> {
    const opts: OriginateOptions = {
      await: 'started',
      ...(p.view.nonce !== undefined ? { idempotency: { dialect: 'voipnow', accountId: app.accountId, key: p.view.nonce, ttlMs: this.deps.ttlMs } } : {}),
    };
    let callIds: string[];
    try {
      callIds = startedLegs(await this.deps.client.originate(this.deps.buildRequest(p.spec), opts));
    } catch (err) {
      throw nonceError(err);
    }
    const record: PhoneCallRecord = {
      id: phoneCallId(callIds),
      accountId: p.terminal.account.id,
      ownerId: p.terminal.user.id,
      deviceId: p.terminal.device.id,
      extension: p.terminal.extension,
      legs: callIds.map((callId, i) => ({ callId, source: p.labels[i] ?? p.view.source[0] ?? '' })),
      destination: p.view.destination,
      createdAt: (this.deps.now ?? Date.now)(),
    };
    await this.deps.records.save(app.accountId, record);
    return { id: record.id, extension: record.extension, link: { self: this.link(baseUrl, record) } };
  }

  /** The phone call of link.self, or 404: unknown ids, other accounts' calls and mismatched segments alike. */
  private async find(app: ClientTokenClaims, userId: string | undefined, extension: string | undefined, id: string | undefined, operation: Operation): Promise<PhoneCallRecord> {
    const selector = parseUserSelector(userId);
    const record = id === undefined ? null : await this.deps.records.find(app.accountId, id);
    if (record === null || record.extension !== extension || (selector.kind === 'id' && selector.userId !== record.ownerId)) throw VoipnowError.notFound('phone call');
    await this.authorize(app, operation, record.accountId, { owned: async () => ({ userIds: [record.ownerId], deviceIds: [record.deviceId] }) });
    return record;
  }

  private async authorize(app: ClientTokenClaims, operation: Operation, accountId: string, extra: { targetId?: string; owned?: () => Promise<{ userIds: string[]; deviceIds: string[] }> }): Promise<void> {
    await this.deps.directory.access.authorize(callerOfClient(app), { operation, accountId, ...extra });
  }

  private async leg(accountId: string, callId: string): Promise<LegSnapshot | undefined> {
    const live = await this.deps.client.call(callId);
    if (live !== undefined && live.accountId === accountId) return fromCallView(live);
    const cdr = await this.deps.cdrs.get(accountId, callId);
    return cdr === null ? undefined : fromCdr(callId, cdr);
  }

  private link(baseUrl: string, record: PhoneCallRecord): string {
    // as the seed's answers show it: the app's own view of the call
    return `${baseUrl}/uapi/phoneCalls/@me/${encodeURIComponent(record.extension)}/${record.id}`;
  }
}

/** A nonce used again for another call, or while its first call is still being made. */
function nonceError(err: unknown): unknown {
  if (!(err instanceof LegworkError)) return err;
  if (err.code === 'idempotency_conflict') return VoipnowError.invalid('pc_nonce_invalid', 'nonce was already used for another phone call');
  if (err.code === 'idempotency_in_progress') return new VoipnowError(409, 'pc_nonce_in_progress', 'a phone call with this nonce is still being made');
  return err;
}
