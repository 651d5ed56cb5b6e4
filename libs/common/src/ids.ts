import { randomBytes, randomUUID } from 'node:crypto';

/** Kazoo-style document id: 32 lowercase hex characters. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** Msg-ID and other correlation ids. */
export function newMsgId(): string {
  return randomUUID();
}

export const KAZOO_ID = /^[0-9a-f]{32}$/;
