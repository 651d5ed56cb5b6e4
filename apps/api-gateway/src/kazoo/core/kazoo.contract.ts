import type { IncomingMessage } from 'node:http';
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { LegworkError } from '@legwork/common';

/** The caller behind a verified X-Auth-Token. */
export interface KazooAuth {
  accountId: string;
  ownerId?: string;
  method: 'api_key' | 'user_auth';
  token: string;
}

/** The HTTP request as the Kazoo layer sees it, after the auth guard ran. */
export type KazooRequest = IncomingMessage & {
  params: Record<string, string | undefined>;
  query: Record<string, unknown>;
  body: unknown;
  auth?: KazooAuth;
  requestId: string;
};

/** Kazoo's validation shape: field → rule → {message, value}. */
export type KazooErrorData = Record<string, unknown>;

export interface KazooIssue {
  field: string;
  rule: string;
  message: string;
  value?: unknown;
}

/** A Kazoo-facing error; `code` is Kazoo's message with underscores ('invalid_data', 'bad_identifier'). */
export class KazooError extends LegworkError {
  constructor(
    readonly status: number,
    readonly kazooMessage: string,
    readonly data: KazooErrorData = {},
  ) {
    super(kazooMessage.replace(/ /g, '_'), kazooMessage, { status, data });
  }

  static unauthorized(data: KazooErrorData = {}): KazooError {
    return new KazooError(401, 'unauthorized', data);
  }

  static forbidden(data: KazooErrorData = {}): KazooError {
    return new KazooError(403, 'forbidden', data);
  }

  /** Unknown id in the path (Kazoo answers 404 'bad identifier'). */
  static badIdentifier(id: string): KazooError {
    return new KazooError(404, 'bad identifier', { cause: id });
  }

  static notFound(data: KazooErrorData = {}): KazooError {
    return new KazooError(404, 'not found', data);
  }

  static tooManyRequests(): KazooError {
    return new KazooError(429, 'too many requests', { message: 'rate limited' });
  }
}

/** 400 'invalid data' with Kazoo's field → rule → {message, value} nesting. */
export function kazooValidationError(issues: KazooIssue[]): KazooError {
  const data: Record<string, Record<string, { message: string; value?: unknown }>> = {};
  for (const issue of issues) {
    const rules = (data[issue.field] ??= {});
    rules[issue.rule] = issue.value === undefined ? { message: issue.message } : { message: issue.message, value: issue.value };
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

export const IS_PUBLIC = 'kazoo:public';

/** The route needs no X-Auth-Token (the auth endpoints themselves). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The verified caller (`KazooAuth`); undefined only on @Public() routes. */
export const AuthContext = createParamDecorator((_: unknown, ctx: ExecutionContext): KazooAuth | undefined => {
  return ctx.switchToHttp().getRequest<KazooRequest>().auth;
});

/** The request id echoed as `request_id` in every envelope. */
export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<KazooRequest>().requestId;
});

/** Path prefix of every Kazoo route; the guard, interceptor and filter act only below it. */
export const KAZOO_PREFIX = '/v2';

/** Name of the path parameter the guard authorizes against the caller's account tree. */
export const ACCOUNT_PARAM = 'accountId';
