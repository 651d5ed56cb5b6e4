import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Caller } from '@legwork/directory';
import { NetaxisError } from './netaxis-error';

/** Where the dialect's routes live: its edge answers below it. */
export const NETAXIS_MOUNT = '/api/v1';

/** The HTTP request as the Netaxis layer sees it, after its bearer guard ran. */
export type NetaxisRequest = IncomingMessage & {
  params: Record<string, string | undefined>;
  query: Record<string, unknown>;
  body: unknown;
  /** Who the bearer token stands for (a user's login or a netaxis API client). */
  netaxisCaller?: Caller;
};

/** The caller behind the bearer token. */
export const NetaxisCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<NetaxisRequest>().netaxisCaller;
  if (caller === undefined) throw NetaxisError.unauthorized('no bearer token was verified for this route');
  return caller;
});

/** The peer address as the socket saw it (no proxy headers are trusted). */
export function sourceOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
