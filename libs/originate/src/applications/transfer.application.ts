import type { ResolvedEndpoint } from '../engine/originate.types';
import type { AnsweredA, CallApplication, SessionView } from './application.types';
import { connectToTargets } from './b-leg.dialer';
import { huntGroup } from './group-hunt';

/** `transfer`: dial Application-Data.Route (a group's members by its strategy; else local endpoints, then carriers in order) and bridge it to the answered A-leg. */
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
    const { targets, failure, hunt } = await s.host.opts.resolver.resolveRoute(route, s.accountId);
    if (hunt !== undefined && targets.length > 0) return huntGroup(s, a, targets, hunt);
    await connectToTargets(s, a, targets, { cause: failure?.cause ?? 'NO_ROUTE_DESTINATION' });
  }
}
