import { runStandaloneApp } from '@legwork/platform';
import { bootstrapMediaNode } from './bootstrap';
import { mediaNodeConfigSchema } from './media-node.config';
import { APP_NAME } from './app.identity';

void runStandaloneApp({ name: APP_NAME, schema: mediaNodeConfigSchema, bootstrap: bootstrapMediaNode });
