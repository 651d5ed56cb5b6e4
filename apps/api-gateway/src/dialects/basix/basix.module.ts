import { Module } from '@nestjs/common';
import { BasixCallUserModule } from './call-user/call-user.module';
import { BasixCoreModule } from './core/basix-core.module';

/** The Basix dialect (seed 003): its core and one module per resource; the gateway imports this one module. */
@Module({ imports: [BasixCoreModule, BasixCallUserModule] })
export class BasixModule {}
