import { runStandaloneApp } from '@legwork/platform';
import { bootstrapWebhooks } from './bootstrap';
import { webhooksConfigSchema } from './webhooks.config';

void runStandaloneApp({ name: 'webhooks', schema: webhooksConfigSchema, bootstrap: bootstrapWebhooks });
