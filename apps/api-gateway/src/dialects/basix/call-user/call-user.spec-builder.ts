import { END_USER_CHANNEL_VAR, endUserChannelVar, sipUserProblem } from '@legwork/contracts';
import type { ClientPrincipal } from '@legwork/directory';
import type { OriginateSpec, ShownCallerId } from '@legwork/originate-client';
import type { CallUserRequest } from './call-user.request';
import type { CallUserTarget } from './call-user.target';
import type { ResolvedDestination } from './destination.resolver';

/** Every leg's Outbound-Call-ID ends with it, so events show a call came from call_user. */
export const BASIX_CALL_ID_SUFFIX = '-basix';

/** Channel variables of the group context, on every event of the call and in its CDR. */
export const GROUP_CHANNEL_VARS = { id: 'Group-ID', name: 'Group-Name', type: 'Group-Type' } as const;

export interface CallUserPlan {
  request: CallUserRequest;
  target: CallUserTarget;
  destination: ResolvedDestination;
  /** calling_number as E.164, when one was given. */
  callingNumber?: string;
  media: 'bypass' | 'process';
}

/** What the user's terminals show: calling_name (a number too when it is one), else who they will be connected to. */
function shownToUser(plan: CallUserPlan): ShownCallerId {
  const { callingName } = plan.request;
  const route = plan.destination.route;
  const number = callingName !== undefined && /^\+?[0-9]{1,32}$/.test(callingName) ? callingName : sipUserProblem(route) === undefined ? route : undefined;
  const name = callingName ?? plan.request.destination.endUser?.['name'] ?? plan.request.destination.target;
  return { name, ...(number !== undefined ? { number } : {}) };
}

function channelVars(plan: CallUserPlan): Record<string, string> {
  const { group } = plan.target;
  const endUser = plan.request.destination.endUser;
  return {
    ...(group !== undefined ? { [GROUP_CHANNEL_VARS.id]: group.id, [GROUP_CHANNEL_VARS.name]: group.name, [GROUP_CHANNEL_VARS.type]: group.type } : {}),
    ...(endUser !== undefined ? { [END_USER_CHANNEL_VAR]: endUserChannelVar(endUser) } : {}),
  };
}

/** call_user as the dialect-neutral click-to-call: ring the user's devices at once, then transfer to the destination. */
export function callUserSpec(principal: ClientPrincipal, plan: CallUserPlan): OriginateSpec {
  const { account, user, devices } = plan.target;
  const ccvs = channelVars(plan);
  return {
    accountId: account.id,
    authorizing: { id: principal.clientId, type: 'api_client' },
    ownerId: user.id,
    sources: devices,
    dialMethod: 'simultaneous',
    destination: plan.destination.route,
    callerIdToSource: shownToUser(plan),
    ...(plan.callingNumber !== undefined ? { callerIdToDestination: { number: plan.callingNumber } } : {}),
    callerIds: devices.length === 1 ? [devices[0]?.caller_id, user.caller_id] : [user.caller_id],
    ...(user.presence_id !== undefined ? { presenceId: user.presence_id } : {}),
    timeoutS: plan.request.answerTimeoutS,
    media: plan.media,
    autoAnswer: plan.request.autoAnswer,
    ignoreEarlyMedia: true,
    callIdSuffix: BASIX_CALL_ID_SUFFIX,
    ...(Object.keys(ccvs).length > 0 ? { customChannelVars: ccvs } : {}),
  };
}
