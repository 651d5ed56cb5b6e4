import { z } from 'zod';
import { baseConfigShape, apiGatewayPortShape } from '@legwork/platform';

/** Environment of the api-gateway app: the shared variables plus its own ports. */
export const apiGatewayConfigShape = { ...baseConfigShape, ...apiGatewayPortShape };
export const apiGatewayConfigSchema = z.object(apiGatewayConfigShape);
export type ApiGatewayConfig = z.output<typeof apiGatewayConfigSchema>;
