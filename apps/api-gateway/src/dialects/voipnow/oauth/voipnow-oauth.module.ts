import { Module } from '@nestjs/common';
import { VoipnowCoreModule } from '../core/voipnow-core.module';
import { OAuthTokenController } from './oauth-token.controller';

/** POST /oauth/token.php: access tokens for VoipNow apps. */
@Module({ imports: [VoipnowCoreModule], controllers: [OAuthTokenController] })
export class VoipnowOAuthModule {}
