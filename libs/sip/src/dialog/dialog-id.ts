import type { SipRequest, SipResponse } from '../message/sip-message';

/** RFC 3261 §12: Call-ID + local tag + remote tag. */
export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}

/** Id of the dialog an inbound request belongs to, seen from the UAS side (To tag is ours). */
export function dialogIdOfRequest(request: SipRequest): string | undefined {
  const { callId, toTag, fromTag } = request;
  if (callId === undefined || toTag === undefined || fromTag === undefined) return undefined;
  return dialogId(callId, toTag, fromTag);
}

/** Id of the dialog a response to our request creates or belongs to (From tag is ours). */
export function dialogIdOfResponse(response: SipResponse): string | undefined {
  const { callId, toTag, fromTag } = response;
  if (callId === undefined || toTag === undefined || fromTag === undefined) return undefined;
  return dialogId(callId, fromTag, toTag);
}
