import type { ResolvedEndpoint } from '../engine/originate.types';
import type { CallApplication } from './application.types';

/** `park`: the answered leg stays up until its party hangs up or a command ends it (the call's reactions do the rest). */
export class ParkApplication implements CallApplication {
  readonly name = 'park';

  async prepare(): Promise<void> {
    // nothing to resolve: the A-leg is the whole call
  }

  dialled(): ResolvedEndpoint[] {
    return [];
  }

  otherLegCallId(): undefined {
    return undefined;
  }

  async start(): Promise<void> {
    // the leg is up; its remote hangup ends the call through CALL_REACTIONS
  }
}
