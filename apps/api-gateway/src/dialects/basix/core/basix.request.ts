import type { IncomingMessage } from 'node:http';
import type { ClientPrincipal } from '@legwork/directory';

/** The HTTP request as the Basix layer sees it, after its guard authenticated the client. */
export type BasixRequest = IncomingMessage & {
  body: unknown;
  /** The API client behind `DOMAIN_NAME:API_TOKEN`. */
  basix?: { principal: ClientPrincipal; apiToken: string };
};
