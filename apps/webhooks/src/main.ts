import { runStandaloneApp } from '@legwork/platform';
import { bootstrapWebhooks } from './bootstrap';
import { webhooksConfigSchema } from './webhooks.config';
import { APP_NAME } from './app.identity';

void runStandaloneApp({ name: APP_NAME, schema: webhooksConfigSchema, bootstrap: bootstrapWebhooks });
