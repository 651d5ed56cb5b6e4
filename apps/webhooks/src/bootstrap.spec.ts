import { describeAppShell } from '@legwork/platform/testing';
import { bootstrapWebhooks } from './bootstrap';
import { webhooksConfigSchema } from './webhooks.config';

describeAppShell({ appName: 'webhooks', schema: webhooksConfigSchema, env: { WEBHOOKS_PORT: '0' }, bootstrap: bootstrapWebhooks });
