import { runStandaloneApp } from '@legwork/platform';
import { bootstrapApiGateway } from './bootstrap';
import { apiGatewayConfigSchema } from './api-gateway.config';
import { APP_NAME } from './app.identity';

void runStandaloneApp({ name: APP_NAME, schema: apiGatewayConfigSchema, bootstrap: bootstrapApiGateway });
