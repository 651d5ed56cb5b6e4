import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { LegworkError } from '@legwork/common';
import type { Caller, Grant } from '@legwork/directory';

/** The caller behind a verified X-Auth-Token. */
export interface KazooAuth {
  accountId: string;
  ownerId?: string;
  method: 'api_key' | 'user_auth';
  role: 'admin' | 'user';
  token: string;
}

/** The policy's caller for a verified token. */
export function callerOfAuth(auth: KazooAuth): Caller {
  return { accountId: auth.accountId, role: auth.role, method: auth.method, ...(auth.ownerId !== undefined ? { userId: auth.ownerId } : {}) };
}

/** The HTTP request as the Kazoo layer sees it, after the auth guard ran. */
export type KazooRequest = IncomingMessage & {
  params: Record<string, string | undefined>;
  query: Record<string, unknown>;
  body: unknown;
  auth?: KazooAuth;
  /** What the access policy granted this request (set by the auth guard on every /v2 route). */
  grant?: Grant;
  requestId: string;
  /** The token the request carried (header, query, body or Bearer), verified or not: Kazoo echoes it. */
  presentedToken?: string;
  /** This node's Kazoo `node` value for the envelope (stampNode). */
  kazooNode?: string;
};

/** Kazoo's validation shape: field → rule → {message, value}. */
export type KazooErrorData = Record<string, unknown>;

export interface KazooIssue {
  field: string;
  rule: string;
  message: string;
  value?: unknown;
  /** The rule's bound (minLength, maxLength…), as kz_json_schema reports it. */
  target?: number;
}

/** A Kazoo-facing error; `code` is Kazoo's message with underscores ('invalid_data', 'bad_identifier'). */
export class KazooError extends LegworkError {
  constructor(
    readonly status: number,
    readonly kazooMessage: string,
    readonly data: KazooErrorData = {},
    /** Sent as Retry-After (seconds) with a 429 or a 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(kazooMessage.replace(/ /g, '_'), kazooMessage, { status, data });
  }

  /** Kazoo's one 401 for every refused token or credential: it never says which part was wrong. */
  static unauthorized(): KazooError {
    return new KazooError(401, 'invalid_credentials', { message: 'invalid credentials' });
  }

  static forbidden(data: KazooErrorData = {}): KazooError {
    return new KazooError(403, 'forbidden', data);
  }

  /** Unknown id in the path: cb_context's `bad_identifier`, the id as `cause`. */
  static badIdentifier(id: string): KazooError {
    return new KazooError(404, 'bad_identifier', { cause: id, message: 'bad identifier' });
  }

  static notFound(data: KazooErrorData = {}): KazooError {
    return new KazooError(404, 'not found', data);
  }

  static tooManyRequests(retryAfterMs?: number, message = 'rate limited'): KazooError {
    return new KazooError(429, 'too many requests', { message }, retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }
}

/** 400 'invalid data' with Kazoo's field → rule → {message, target?, value?} nesting. */
export function kazooValidationError(issues: KazooIssue[]): KazooError {
  const data: Record<string, Record<string, { message: string; target?: number; value?: unknown }>> = {};
  for (const issue of issues) {
    const rules = (data[issue.field] ??= {});
    rules[issue.rule] = {
      message: issue.message,
      ...(issue.target !== undefined ? { target: issue.target } : {}),
      ...(issue.value !== undefined ? { value: issue.value } : {}),
    };
  }
  return new KazooError(400, 'invalid data', data);
}

const KAZOO_OK = Symbol('kazooOk');

/** Top-level envelope fields next to `data`; pagination as Kazoo lists answer it. */
export interface KazooOkOptions {
  revision?: string;
  /** Top-level `auth_token` when it is not the caller's own (the auth endpoints). */
  authToken?: string;
  page_size?: number;
  start_key?: string;
  next_start_key?: string;
}

/** A controller result carrying envelope extras next to the data. */
export interface KazooOk<T> extends Readonly<KazooOkOptions> {
  readonly [KAZOO_OK]: true;
  readonly data: T;
}

/** Return this (or plain data) from a Kazoo controller; the global interceptor wraps it. */
export function kazooOk<T>(data: T, opts: KazooOkOptions = {}): KazooOk<T> {
  return { ...opts, [KAZOO_OK]: true, data };
}

export function isKazooOk(value: unknown): value is KazooOk<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[KAZOO_OK] === true;
}

/** The verified caller (`KazooAuth`); undefined on logins and anonymous quickcalls. */
export const AuthContext = createParamDecorator((_: unknown, ctx: ExecutionContext): KazooAuth | undefined => {
  return ctx.switchToHttp().getRequest<KazooRequest>().auth;
});

/** What the policy granted: the caller and the scope of what it may see. */
export const GrantContext = createParamDecorator((_: unknown, ctx: ExecutionContext): Grant => {
  const grant = ctx.switchToHttp().getRequest<KazooRequest>().grant;
  if (grant === undefined) throw new KazooError(403, 'forbidden', { message: 'no access policy ran for this route' });
  return grant;
});

/** The request id echoed as `request_id` in every envelope. */
export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<KazooRequest>().requestId;
});

/** Path prefix of every Kazoo route: where KazooEdge answers unknown routes and unreadable bodies. */
export const KAZOO_PREFIX = '/v2';

/** Name of the path parameter the guard authorizes against the caller's account tree. */
export const ACCOUNT_PARAM = 'accountId';
