import { z } from 'zod';
import {
  apiGatewayConfigShape,
  mediaNodeConfigShape,
  webhooksConfigShape,
  websocketsConfigShape,
} from './apps';

/** The all-in-one process reads every app's variables once and hands each app the same config. */
export const legworkConfigSchema = z.object({
  ...apiGatewayConfigShape,
  ...mediaNodeConfigShape,
  ...webhooksConfigShape,
  ...websocketsConfigShape,
});
export type LegworkConfig = z.output<typeof legworkConfigSchema>;
