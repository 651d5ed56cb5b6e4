import type { IncomingMessage } from 'node:http';
import type { ClientPrincipal } from '@legwork/directory';

/** The HTTP request as the X-on layer sees it, after its guard authenticated the client. */
export type XonRequest = IncomingMessage & {
  query: Record<string, unknown>;
  body: unknown;
  /** The `xon` API client behind the bearer secret. */
  xon?: ClientPrincipal;
};
