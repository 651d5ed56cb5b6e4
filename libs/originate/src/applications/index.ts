import type { OriginateRequest } from '@legwork/contracts';
import { Refusal } from '../engine/refusal';
import type { CallApplication } from './application.types';
import { BridgeEndpointApplication } from './bridge-endpoint.application';
import { BridgeExistingApplication } from './bridge-existing.application';
import { ParkApplication } from './park.application';
import { TransferApplication } from './transfer.application';

export type { AnsweredA, CallApplication, SessionView } from './application.types';
export { ParkApplication } from './park.application';
export { TransferApplication } from './transfer.application';
export { BridgeExistingApplication } from './bridge-existing.application';
export { BridgeEndpointApplication } from './bridge-endpoint.application';
export { DEFAULT_TIMEOUT_S } from './b-leg.dialer';

/** The application object for a request's Application-Name; eavesdrop and fax are refused before anything rings. */
export function applicationFor(req: OriginateRequest): CallApplication {
  switch (req['Application-Name']) {
    case 'park':
      return new ParkApplication();
    case 'transfer':
      return new TransferApplication();
    case 'bridge':
      return req['Existing-Call-ID'] !== undefined ? new BridgeExistingApplication() : new BridgeEndpointApplication();
    default:
      throw new Refusal('FACILITY_NOT_IMPLEMENTED', `Application-Name: ${req['Application-Name']} is not supported`);
  }
}
