import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { KazooAuthGuard } from './kazoo-auth.guard';
import { KazooEnvelopeInterceptor } from './kazoo-envelope.interceptor';
import { KazooExceptionFilter } from './kazoo-exception.filter';
import { KazooRateLimitGuard } from './kazoo-rate-limit.guard';

/** The Kazoo plumbing every /v2 route shares: auth, rate limit (in that order), envelope, error shape. */
@Module({
  providers: [
    { provide: APP_GUARD, useClass: KazooAuthGuard },
    { provide: APP_GUARD, useClass: KazooRateLimitGuard },
    { provide: APP_INTERCEPTOR, useClass: KazooEnvelopeInterceptor },
    { provide: APP_FILTER, useClass: KazooExceptionFilter },
  ],
})
export class KazooCoreModule {}
