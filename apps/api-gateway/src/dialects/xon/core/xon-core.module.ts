import { Module } from '@nestjs/common';
import type { Bus } from '@legwork/bus';
import type { CallStore } from '@legwork/call-state';
import { createPushClient, PUSH_CLIENT, type PushClient } from '@legwork/originate-client';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_NAME, APP_VERSION } from '../../../app.identity';
import { APP_CONFIG, BUS, CALL_STORE } from '../../../core/infra.tokens';
import { readXonConfig, XON_CONFIG, type XonConfig } from './xon.config';
import { XonEdge } from './xon-edge.provider';
import { XonExceptionFilter } from './xon-exception.filter';

/** What the X-on plumbing shares: its settings, the push client, its error filter and the edge below /v1. */
@Module({
  providers: [
    { provide: XON_CONFIG, useFactory: () => readXonConfig() },
    {
      provide: PUSH_CLIENT,
      inject: [BUS, CALL_STORE, APP_CONFIG, XON_CONFIG],
      useFactory: (bus: Bus, calls: CallStore, app: ApiGatewayConfig, xon: XonConfig): PushClient =>
        createPushClient({ bus, calls, nodeId: app.NODE_ID, appName: APP_NAME, appVersion: APP_VERSION, timeoutMs: xon.XON_PUSH_TIMEOUT_MS }),
    },
    XonExceptionFilter,
    XonEdge,
  ],
  exports: [XON_CONFIG, PUSH_CLIENT],
})
export class XonCoreModule {}
