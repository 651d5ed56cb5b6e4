import { Module } from '@nestjs/common';
import { KazooEdge } from './kazoo-edge.provider';
import { KazooExceptionFilter } from './kazoo-exception.filter';
import { KazooUnauthenticatedLimiter } from './kazoo-unauthenticated.limiter';

/**
 * What the Kazoo plumbing shares (KazooController attaches the guards, envelope and filter to each
 * controller): the per-source limiter of requests without a valid token, and the edge below /v2.
 * Every Kazoo feature module imports this one.
 */
@Module({
  providers: [KazooUnauthenticatedLimiter, KazooExceptionFilter, KazooEdge],
  exports: [KazooUnauthenticatedLimiter],
})
export class KazooCoreModule {}
