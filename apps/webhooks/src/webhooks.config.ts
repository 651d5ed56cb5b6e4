import { z } from 'zod';
import { baseConfigShape, webhooksPortShape } from '@legwork/platform';

/** Environment of the webhooks app: the shared variables plus its own ports. */
export const webhooksConfigShape = { ...baseConfigShape, ...webhooksPortShape };
export const webhooksConfigSchema = z.object(webhooksConfigShape);
export type WebhooksConfig = z.output<typeof webhooksConfigSchema>;
