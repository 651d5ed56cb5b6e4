import { z } from 'zod';
import { baseConfigShape, apiGatewayPortShape, secret } from '@legwork/platform';
import { consoleConfigShape } from './console/console.config';

/** Environment of the api-gateway app: the shared variables plus its own ports, auth bootstrap and rate limits. */
export const apiGatewayConfigShape = {
  ...baseConfigShape,
  ...apiGatewayPortShape,
  // API keys are 64 hex characters (what api_auth accepts), so the bootstrap key must be one too.
  LEGWORK_BOOTSTRAP_API_KEY: secret(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: 'must be 64 hex characters (an API key)' })
      .optional(),
  ),
  MASTER_REALM: z.string().min(1).max(253).default('legwork.local'),
  /** How long CDRs are kept. */
  CDR_RETENTION_DAYS: z.coerce.number().positive().default(30),
  RATE_BUCKET_BURST: z.coerce.number().int().min(1).default(100),
  RATE_BUCKET_REFILL_PER_SECOND: z.coerce.number().positive().default(10),
  /** Requests without a valid token (logins, anonymous quickcalls, bad tokens) per source address per window. */
  UNAUTHENTICATED_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(120),
  UNAUTHENTICATED_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Serve Swagger UI at /docs and the document at /docs-json. */
  OPENAPI_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  ...consoleConfigShape,
};
export const apiGatewayConfigSchema = z.object(apiGatewayConfigShape);
export type ApiGatewayConfig = z.output<typeof apiGatewayConfigSchema>;
