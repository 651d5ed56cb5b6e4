import { createHash } from 'node:crypto';
import { newMsgId } from '@legwork/common';
import type { KazooError, KazooOkOptions, KazooRequest } from './kazoo.contract';

/** Reported as `version` to authenticated callers, as Kazoo reports its own release. */
export const KAZOO_API_VERSION = 'legwork-0.1.0';

/** Kazoo's `node`: base64url (unpadded) of the md5 of the node's name, so replies tell nodes apart without naming them. */
export function kazooNode(nodeId: string): string {
  return createHash('md5').update(nodeId, 'utf8').digest('base64url');
}

/** Kazoo's envelope `timestamp`: ISO 8601 in UTC to the second (`2026-12-01T22:16:00Z`). */
export function kazooTimestamp(at: Date = new Date()): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** Records this node's `node` on the request; the first Kazoo component to see a request (guard or filter) calls it. */
export function stampNode(req: KazooRequest, nodeId: string): void {
  req.kazooNode ??= kazooNode(nodeId);
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-ID when it is sane, else a fresh one; assigned once per request. */
export function requestIdOf(req: KazooRequest): string {
  if (typeof req.requestId === 'string' && req.requestId !== '') return req.requestId;
  const given = req.headers['x-request-id'];
  req.requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : newMsgId();
  return req.requestId;
}

/** Kazoo echoes the token it read (from whichever source), verified or not. */
function echoedToken(req: KazooRequest): string {
  return req.auth?.token ?? req.presentedToken ?? '';
}

/** Fields every envelope carries: `node`, `timestamp`, and `version` only for an authenticated request (api_util). */
function common(req: KazooRequest, authenticated: boolean): { node?: string; timestamp: string; version?: string } {
  return {
    ...(req.kazooNode !== undefined ? { node: req.kazooNode } : {}),
    timestamp: kazooTimestamp(),
    ...(authenticated ? { version: KAZOO_API_VERSION } : {}),
  };
}

export interface KazooSuccessBody {
  auth_token: string;
  data: unknown;
  revision?: string;
  page_size?: number;
  start_key?: string;
  next_start_key?: string;
  node?: string;
  request_id: string;
  status: 'success';
  timestamp: string;
  version?: string;
}

export function successBody(req: KazooRequest, data: unknown, extras: KazooOkOptions): KazooSuccessBody {
  const { authToken, revision, page_size, start_key, next_start_key } = extras;
  const optional = { revision, page_size, start_key, next_start_key };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  // a login is authenticated once it issued a token; a logout no longer is
  const authenticated = authToken !== undefined ? authToken !== '' : req.auth !== undefined;
  return { auth_token: authToken ?? echoedToken(req), data, ...present, ...common(req, authenticated), request_id: requestIdOf(req), status: 'success' };
}

export interface KazooErrorBody {
  auth_token: string;
  data: Record<string, unknown>;
  error: string;
  message: string;
  node?: string;
  request_id: string;
  status: 'error';
  timestamp: string;
  version?: string;
}

export function errorBody(req: KazooRequest, err: KazooError): KazooErrorBody {
  return {
    auth_token: echoedToken(req),
    data: err.data,
    error: String(err.status),
    message: err.kazooMessage,
    ...common(req, req.auth !== undefined),
    request_id: requestIdOf(req),
    status: 'error',
  };
}
