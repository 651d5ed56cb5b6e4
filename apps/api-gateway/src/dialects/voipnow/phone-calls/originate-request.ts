import type { OriginateRequestBody, OriginateSpec, OriginationClient } from '@legwork/originate-client';
import { VoipnowError } from '../core/voipnow-error';

const unavailable = (): VoipnowError => new VoipnowError(503, 'service_unavailable', 'origination is not available on this gateway');

/** The dialect's one call site turning a spec into an originate_req body. */
export function originateRequestOf(spec: OriginateSpec): OriginateRequestBody {
  throw Object.assign(unavailable(), { spec: spec.callIdSuffix });
}

/** The gateway's origination client, or one refusing every call when the gateway provides none. */
export function clientOrUnavailable(client: OriginationClient | undefined): OriginationClient {
  if (client !== undefined) return client;
  const refuse = (): Promise<never> => Promise.reject(unavailable());
  return { originate: refuse, command: refuse, liveCalls: refuse, call: refuse };
}
