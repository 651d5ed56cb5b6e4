import type { Provider } from '@nestjs/common';
import type { Bus } from '@legwork/bus';
import type { CallStore } from '@legwork/call-state';
import { createOriginationClient, DEFAULT_REPLY_MARGIN_MS, ORIGINATION_CLIENT, type OriginationClient } from '@legwork/originate-client';
import { z } from 'zod';
import type { ApiGatewayConfig } from '../api-gateway.config';
import { APP_NAME, APP_VERSION } from '../app.identity';
import { APP_CONFIG, BUS, CALL_STORE } from './infra.tokens';


/** The origination settings every dialect shares, read from the environment. */
export const originationConfigSchema = z.object({
  /** How long a waiting originate gives the media node beyond the request's ring Timeout. */
  ORIGINATE_REPLY_MARGIN_MS: z.coerce.number().int().min(0).optional(),
  /** The same setting under its earlier, Kazoo-only name; ORIGINATE_REPLY_MARGIN_MS wins. */
  KAZOO_QUICKCALL_REPLY_MARGIN_MS: z.coerce.number().int().min(0).optional(),
  /** How long a call command waits for the owning node's result. */
  CALL_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(1).default(5000),
});

export function readOriginationConfig(env: Record<string, string | undefined> = process.env): { replyMarginMs: number; commandTimeoutMs: number } {
  const parsed = originationConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid origination configuration: ${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  return { replyMarginMs: c.ORIGINATE_REPLY_MARGIN_MS ?? c.KAZOO_QUICKCALL_REPLY_MARGIN_MS ?? DEFAULT_REPLY_MARGIN_MS, commandTimeoutMs: c.CALL_COMMAND_TIMEOUT_MS };
}

/** The gateway's OriginationClient under ORIGINATION_CLIENT, one for every dialect. */
export const originationClientProvider: Provider = {
  provide: ORIGINATION_CLIENT,
  inject: [BUS, CALL_STORE, APP_CONFIG],
  useFactory: (bus: Bus, calls: CallStore, app: ApiGatewayConfig): OriginationClient =>
    createOriginationClient({ bus, calls, nodeId: app.NODE_ID, appName: APP_NAME, appVersion: APP_VERSION, ...readOriginationConfig() }),
};
