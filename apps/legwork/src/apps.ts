/* eslint-disable @nx/enforce-module-boundaries -- the launcher (type:launcher) is the one project that composes apps; Nx forbids app imports outright, so they are confined to this file */
export { apiGatewayConfigShape, bootstrapApiGateway } from '@legwork/api-gateway';
export { mediaNodeConfigShape, bootstrapMediaNode } from '@legwork/media-node';
export { webhooksConfigShape, bootstrapWebhooks } from '@legwork/webhooks';
export { websocketsConfigShape, bootstrapWebsockets } from '@legwork/websockets';
