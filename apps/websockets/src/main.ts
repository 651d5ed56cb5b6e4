import { runStandaloneApp } from '@legwork/platform';
import { bootstrapWebsockets } from './bootstrap';
import { websocketsConfigSchema } from './websockets.config';
import { APP_NAME } from './app.identity';

void runStandaloneApp({ name: APP_NAME, schema: websocketsConfigSchema, bootstrap: bootstrapWebsockets });
