import { runStandaloneApp } from '@legwork/platform';
import { bootstrapApiGateway } from './bootstrap';
import { apiGatewayConfigSchema } from './api-gateway.config';

void runStandaloneApp({ name: 'api-gateway', schema: apiGatewayConfigSchema, bootstrap: bootstrapApiGateway });
