import type { ResolvedEndpoint } from '../engine/originate.types';
import type { AnsweredA, CallApplication, SessionView } from './application.types';
import { connectToTargets } from './b-leg.dialer';

/** `transfer`: dial Application-Data.Route (local endpoints first, then carriers in order) and bridge it to the answered A-leg. */
export class TransferApplication implements CallApplication {
  readonly name = 'transfer';

  async prepare(): Promise<void> {
    // the Route is checked against the outbound rules with the request, before anything rings
  }

  dialled(): ResolvedEndpoint[] {
    return [];
  }

  otherLegCallId(): undefined {
    return undefined;
  }

  async start(s: SessionView, a: AnsweredA): Promise<void> {
    const route = s.req['Application-Data']?.Route ?? '';
    const { targets, failure } = await s.host.opts.resolver.resolveRoute(route, s.accountId);
    await connectToTargets(s, a, targets, { cause: failure?.cause ?? 'NO_ROUTE_DESTINATION' });
  }
}
