import { DialectController } from '../../../core/dialect-controller.decorator';
import { VoipnowAuthGuard } from './voipnow-auth.guard';
import { VoipnowExceptionFilter } from './voipnow-exception.filter';
import { VoipnowRateLimitGuard } from './voipnow-rate-limit.guard';

/** Every UAPI controller: the app's bearer token, then the account's request bucket (in that order), VoipNow's error shape. */
export const VoipnowController = (path = ''): ClassDecorator =>
  DialectController('voipnow', path, { guards: [VoipnowAuthGuard, VoipnowRateLimitGuard], filters: [VoipnowExceptionFilter] });

/** The OAuth token endpoint: no token yet (the client authenticates itself), the same error filter. */
export const VoipnowTokenController = (path = ''): ClassDecorator => DialectController('voipnow', path, { filters: [VoipnowExceptionFilter] });
