import { Module } from '@nestjs/common';
import { BASIX_CONFIG, readBasixConfig } from './basix.config';
import { BasixEdge } from './basix-edge.provider';
import { BasixExceptionFilter } from './basix-exception.filter';

/** What the Basix plumbing shares: its settings, its error filter and the edge below /basix. Every Basix resource module imports it. */
@Module({
  providers: [{ provide: BASIX_CONFIG, useFactory: () => readBasixConfig() }, BasixExceptionFilter, BasixEdge],
  exports: [BASIX_CONFIG],
})
export class BasixCoreModule {}
