import type { Server } from 'node:http';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { EventStreamServer } from '@legwork/event-stream';
import type { AppContext, AppMetrics } from '@legwork/platform';
import { registerEventStreamMetrics } from './event-stream.metrics';
import { eventStreamOptionsFromConfig, type WebsocketsConfig } from './websockets.config';

/** Hosts the blackhole endpoint on the app's own HTTP server (same port as /healthz and /metrics). */
export class EventStreamService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly server: EventStreamServer;

  constructor(
    ctx: AppContext<WebsocketsConfig>,
    private readonly host: HttpAdapterHost,
    metrics: AppMetrics,
  ) {
    this.server = new EventStreamServer({
      bus: ctx.infra.bus,
      directory: ctx.infra.directory,
      events: ctx.infra.calls.events,
      logger: ctx.logger,
      options: eventStreamOptionsFromConfig(ctx.config),
    });
    registerEventStreamMetrics(metrics.registry, this.server);
  }

  onApplicationBootstrap(): void {
    this.server.attach(this.host.httpAdapter.getHttpServer() as Server);
  }

  // Sockets close before the HTTP server so its close is not held up by upgraded connections.
  onModuleDestroy(): Promise<void> {
    return this.server.close();
  }
}
