import { z } from 'zod';
import { baseConfigShape, websocketsPortShape } from '@legwork/platform';

/** Environment of the websockets app: the shared variables plus its own ports. */
export const websocketsConfigShape = { ...baseConfigShape, ...websocketsPortShape };
export const websocketsConfigSchema = z.object(websocketsConfigShape);
export type WebsocketsConfig = z.output<typeof websocketsConfigSchema>;
