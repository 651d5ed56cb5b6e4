import { describeAppShell } from '@legwork/platform/testing';
import { bootstrapApiGateway } from './bootstrap';
import { apiGatewayConfigSchema } from './api-gateway.config';

describeAppShell({ appName: 'api-gateway', schema: apiGatewayConfigSchema, env: { API_GATEWAY_PORT: '0' }, bootstrap: bootstrapApiGateway });
