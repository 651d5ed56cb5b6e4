import { runStandaloneApp } from '@legwork/platform';
import { bootstrapWebsockets } from './bootstrap';
import { websocketsConfigSchema } from './websockets.config';

void runStandaloneApp({ name: 'websockets', schema: websocketsConfigSchema, bootstrap: bootstrapWebsockets });
