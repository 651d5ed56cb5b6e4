import { Module } from '@nestjs/common';
import { NetaxisAuthModule } from './auth/netaxis-auth.module';
import { NetaxisCallsModule } from './calls/netaxis-calls.module';
import { NetaxisCoreModule } from './core/netaxis-core.module';

/** The Netaxis call-service dialect (seed 004): bearer tokens and the user's call service; the gateway imports this one module. */
@Module({ imports: [NetaxisCoreModule, NetaxisAuthModule, NetaxisCallsModule] })
export class NetaxisModule {}
