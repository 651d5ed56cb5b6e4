import { Module } from '@nestjs/common';
import { VoipnowCoreModule } from './core/voipnow-core.module';
import { VoipnowOAuthModule } from './oauth/voipnow-oauth.module';
import { VoipnowPhoneCallsModule } from './phone-calls/voipnow-phone-calls.module';

/** The VoipNow UAPI dialect (seed 001): OAuth client credentials and PhoneCalls; the gateway imports this one module. */
@Module({ imports: [VoipnowCoreModule, VoipnowOAuthModule, VoipnowPhoneCallsModule] })
export class VoipnowModule {}
