import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ClientTokenClaims } from '@legwork/directory';
import { VoipnowError } from './voipnow-error';

/** The HTTP request as the VoipNow layer sees it, after its bearer guard ran. */
export type VoipnowRequest = IncomingMessage & {
  params: Record<string, string | undefined>;
  query: Record<string, unknown>;
  body: unknown;
  /** The app behind the bearer token. */
  voipnowApp?: ClientTokenClaims;
};

/** The API client (app) the bearer token was issued to. */
export const VoipnowApp = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientTokenClaims => {
  const app = ctx.switchToHttp().getRequest<VoipnowRequest>().voipnowApp;
  if (app === undefined) throw VoipnowError.unauthorized('no bearer token was verified for this route');
  return app;
});

/** The peer address as the socket saw it (no proxy headers are trusted). */
export function sourceOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
