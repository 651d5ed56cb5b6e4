import { MissingRouteError } from './contract.error';

/** Replies go to `targeted` keyed by the requester's Server-ID, which the caller passes as `target`. */
export function replyRoutingKey(messageName: string) {
  return (_msg: unknown, target?: string): string => {
    if (!target) throw new MissingRouteError(messageName, "the requester's Server-ID");
    return target;
  };
}
