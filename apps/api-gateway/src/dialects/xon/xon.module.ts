import { Module } from '@nestjs/common';
import { XonCallsModule } from './calls/xon-calls.module';
import { XonCoreModule } from './core/xon-core.module';

/** The X-on patient API dialect (seed 002): its core and one module per resource; the gateway imports this one module. */
@Module({ imports: [XonCoreModule, XonCallsModule] })
export class XonModule {}
