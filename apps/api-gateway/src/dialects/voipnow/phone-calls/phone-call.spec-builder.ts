import { endpointCallerId, extendedNumber, normalizeNumber, type CallerId, type ClientTokenClaims } from '@legwork/directory';
import type { OriginateSpec, ShownCallerId } from '@legwork/originate-client';
import { VoipnowError } from '../core/voipnow-error';
import type { ParsedCallerId } from './caller-id';
import type { PhoneCallParties, PhoneTerminal } from './phone-call.parties';
import type { PhoneCallRequest, PhoneCallView } from './phone-call.request';

/** Suffix of every leg's call id: events and CDRs show the call came through PhoneCalls. */
export const VOIPNOW_CALL_ID_SUFFIX = '-voipnow';

export interface SpecDefaults {
  callDurationS: number;
  media: 'bypass' | 'process';
}

const digits = (n: string): string => n.replace(/[^0-9+]/g, '');

/** The numbers a user's app may show: the user's and the terminal's own caller ids, DIDs and extensions. */
function ownedNumbers(terminal: PhoneTerminal): Set<string> {
  const ids: Array<CallerId | undefined> = [terminal.device.caller_id, terminal.user.caller_id];
  const numbers = ids.flatMap((c) => [c?.internal?.number, c?.external?.number, c?.emergency?.number]);
  const extensions = [terminal.device.extension, terminal.user.extension].flatMap((e) => (e === undefined ? [] : [e, extendedNumber(terminal.account, e)]));
  const all = [...numbers, ...(terminal.user.dids ?? []), ...extensions].filter((n): n is string => n !== undefined);
  const ctx = { country: terminal.account.country };
  return new Set(all.flatMap((n) => [digits(n), normalizeNumber(n, ctx)]).filter((n): n is string => n !== undefined));
}

/**
 * "You are not allowed to set the callerid field": an app of an organization (or of an admin) may show any caller
 * id (the media node still applies the account's outbound rules toward carriers); a plain user's app only numbers
 * the user or the terminal own.
 */
export function checkCallerIdRight(app: Pick<ClientTokenClaims, 'role'>, terminal: PhoneTerminal, view: PhoneCallView): void {
  if (app.role === 'admin') return;
  const owned = ownedNumbers(terminal);
  for (const field of ['callerId', 'callerIdDestination'] as const) {
    const given = view[field];
    if (given === undefined) continue;
    const normalized = normalizeNumber(given.number, { country: terminal.account.country });
    if (!owned.has(digits(given.number)) && (normalized === undefined || !owned.has(normalized))) {
      throw VoipnowError.invalid('pc_callerid_invalid', `You are not allowed to set the callerid field: ${field} ${given.number} is not a number of the user or the extension`);
    }
  }
}

const shown = (c: ParsedCallerId): ShownCallerId => ({ ...(c.name !== undefined ? { name: c.name } : {}), number: c.number });

/** One phone call as the origination client takes it: sources rung at once, then the destination, bridged. */
export function phoneCallSpec(app: Pick<ClientTokenClaims, 'clientId'>, terminal: PhoneTerminal, parties: PhoneCallParties, req: PhoneCallRequest, view: PhoneCallView, defaults: SpecDefaults): OriginateSpec {
  const { device, user, account } = terminal;
  const callerIds = [device.caller_id, user.caller_id];
  // the sources see the terminal's caller id unless callerId says otherwise
  const toSource = view.callerId !== undefined ? shown(view.callerId) : (endpointCallerId(callerIds, view.source[0]) ?? {});
  // the destination sees the terminal's caller id even when the answered source is a public number (no device id of its own)
  const toDestination = view.callerIdDestination !== undefined ? shown(view.callerIdDestination) : endpointCallerId(callerIds, parties.destination);
  return {
    accountId: account.id,
    // the call is made from (and charged to) the Phone Terminal extension, as a quickcall from a device is
    authorizing: { id: device.id, type: 'device' },
    ownerId: user.id,
    sources: parties.sources,
    sourceNumbers: parties.sourceNumbers,
    dialMethod: 'simultaneous',
    destination: parties.destination,
    callerIdToSource: toSource,
    // a caller id the app chose is kept as given (Retain-CID), as quickcall's cid-number is
    ...(view.callerId !== undefined ? { retainCallerId: true } : {}),
    ...(toDestination !== undefined ? { callerIdToDestination: toDestination } : {}),
    callerIds,
    ...(user.presence_id !== undefined ? { presenceId: user.presence_id } : {}),
    timeoutS: req.waitForPickupS,
    media: defaults.media,
    video: req.video,
    maxDurationS: req.callDurationS ?? defaults.callDurationS,
    callIdSuffix: VOIPNOW_CALL_ID_SUFFIX,
    customChannelVars: {
      'VoipNow-App-ID': app.clientId,
      'VoipNow-Extension': terminal.extension,
      'VoipNow-Allow-Public-Transfer': req.allowPublicTransfer,
      'VoipNow-Video': req.video,
    },
  };
}
