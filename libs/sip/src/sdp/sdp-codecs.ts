import { SdpError } from './sdp.errors';

export interface CodecSpec {
  name: string;
  payload: number;
  rate: number;
  channels?: number;
  fmtp?: string;
}

// RFC 3551 static payload types, plus the usual dynamic numbers for the rest
const KNOWN: readonly CodecSpec[] = [
  { name: 'PCMU', payload: 0, rate: 8000 },
  { name: 'GSM', payload: 3, rate: 8000 },
  { name: 'PCMA', payload: 8, rate: 8000 },
  { name: 'G722', payload: 9, rate: 8000 },
  { name: 'G729', payload: 18, rate: 8000, fmtp: 'annexb=no' },
  { name: 'opus', payload: 111, rate: 48000, channels: 2 },
  { name: 'telephone-event', payload: 101, rate: 8000, fmtp: '0-16' },
];

export function codecSpec(name: string): CodecSpec {
  const spec = KNOWN.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (spec === undefined) throw new SdpError('unknown_codec', `unknown codec ${name}`, { codec: name });
  return spec;
}

/** Payload types 0-95 carry their codec implicitly when no a=rtpmap says otherwise (RFC 3551 §6). */
export function staticCodec(payload: number): CodecSpec | undefined {
  return payload < 96 ? KNOWN.find((c) => c.payload === payload) : undefined;
}

export function isTelephoneEvent(name: string): boolean {
  return name.toLowerCase() === 'telephone-event';
}
