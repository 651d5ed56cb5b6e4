import { z } from 'zod';
import { baseConfigShape, mediaNodePortShape } from '@legwork/platform';

/** Environment of the media-node app: the shared variables plus its own ports. */
export const mediaNodeConfigShape = { ...baseConfigShape, ...mediaNodePortShape };
export const mediaNodeConfigSchema = z.object(mediaNodeConfigShape);
export type MediaNodeConfig = z.output<typeof mediaNodeConfigSchema>;
