import { newMsgId } from '@legwork/common';
import type { KazooError, KazooOkOptions, KazooRequest } from './kazoo.contract';

/** Reported as `version` in error bodies, as Kazoo reports its own release. */
export const KAZOO_API_VERSION = 'legwork-0.1.0';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-ID when it is sane, else a fresh one; assigned once per request. */
export function requestIdOf(req: KazooRequest): string {
  if (typeof req.requestId === 'string' && req.requestId !== '') return req.requestId;
  const given = req.headers['x-request-id'];
  req.requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : newMsgId();
  return req.requestId;
}

/** Kazoo echoes the caller's token; public routes (quickcall) check it themselves, so fall back to the header. */
function echoedToken(req: KazooRequest): string {
  const header = req.headers['x-auth-token'];
  return req.auth?.token ?? (typeof header === 'string' ? header : '');
}

export interface KazooSuccessBody {
  auth_token: string;
  data: unknown;
  revision?: string;
  page_size?: number;
  start_key?: string;
  next_start_key?: string;
  request_id: string;
  status: 'success';
}

export function successBody(req: KazooRequest, data: unknown, extras: KazooOkOptions): KazooSuccessBody {
  const { authToken, revision, page_size, start_key, next_start_key } = extras;
  const optional = { revision, page_size, start_key, next_start_key };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return { auth_token: authToken ?? echoedToken(req), data, ...present, request_id: requestIdOf(req), status: 'success' };
}

export interface KazooErrorBody {
  auth_token: string;
  data: Record<string, unknown>;
  error: string;
  message: string;
  request_id: string;
  status: 'error';
  timestamp: string;
  version: string;
}

export function errorBody(req: KazooRequest, err: KazooError): KazooErrorBody {
  return {
    auth_token: echoedToken(req),
    data: err.data,
    error: String(err.status),
    message: err.kazooMessage,
    request_id: requestIdOf(req),
    status: 'error',
    timestamp: new Date().toISOString(),
    version: KAZOO_API_VERSION,
  };
}
