import { serializeSdp, toSdp, type Sdp, type SdpInput } from '@legwork/sip';

/** Our o= line on every answer we give a leg, so its session version only grows (RFC 3264 §8). */
export class SdpOrigin {
  private version = 1;
  private readonly sessionId = String(Math.floor(Math.random() * 2 ** 40) + 1);

  constructor(private readonly address: string) {}

  /** Stamps our origin with the next version on `input`. */
  stamp(input: SdpInput): string {
    return this.stampOwn(toSdp(input));
  }

  /** Stamps a private copy in place (no second copy of what the caller already copied). */
  private stampOwn(sdp: Sdp): string {
    sdp.origin = { ...sdp.origin, username: 'legwork', sessionId: this.sessionId, sessionVersion: this.version++, address: this.address };
    return serializeSdp(sdp);
  }

  /** RFC 3725 black hole: the offer's own streams, connection 0.0.0.0 and inactive, so nothing flows yet. */
  blackHole(offer: SdpInput): string {
    const sdp = toSdp(offer);
    delete sdp.direction;
    if (sdp.connection !== undefined) sdp.connection = { ...sdp.connection, version: 4, ip: '0.0.0.0' };
    for (const m of sdp.media) {
      m.direction = 'inactive';
      if (m.connection !== undefined) m.connection = { ...m.connection, version: 4, ip: '0.0.0.0' };
    }
    return this.stampOwn(sdp);
  }
}

/** A's offer as B should see it: sendrecv unless A itself asked otherwise. */
export function asFreshOffer(input: SdpInput): string {
  return serializeSdp(toSdp(input));
}
