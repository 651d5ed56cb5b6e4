import { describeAppShell } from '@legwork/platform/testing';
import { bootstrapWebsockets } from './bootstrap';
import { websocketsConfigSchema } from './websockets.config';

describeAppShell({ appName: 'websockets', schema: websocketsConfigSchema, env: { WEBSOCKETS_PORT: '0' }, bootstrap: bootstrapWebsockets });
