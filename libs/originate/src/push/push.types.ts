import type { PushKind } from '@legwork/contracts';

export type { PushKind } from '@legwork/contracts';

/** A device's RFC 8599 push parameters (pn-provider, pn-prid, pn-param), from its last binding or the directory. */
export interface DevicePush {
  provider: string;
  prid: string;
  param?: string;
}

/** Why ringing stopped, as the device is told in a cancel push. */
export type PushCancelReason = 'answered_elsewhere' | 'cancelled';

/** One notification to one device. */
export interface PushMessage extends DevicePush {
  kind: PushKind;
  /** The leg's Call-ID (the X-on `callId`). */
  callId: string;
  callerName?: string;
  reason?: PushCancelReason;
}

/** What the push service answered; `error` is its reason (or the transport error) when it refused. */
export type PushResult = { ok: true; status?: number } | { ok: false; status?: number; error: string };

/** One push service (generic gateway, APNs, FCM); never throws, every failure is a result. */
export interface PushSender {
  readonly name: string;
  send(message: PushMessage): Promise<PushResult>;
  close?(): Promise<void>;
}
