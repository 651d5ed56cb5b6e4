import { DialectController } from '../../../core/dialect-controller.decorator';
import { NetaxisAuthGuard } from './netaxis-auth.guard';
import { NetaxisExceptionFilter } from './netaxis-exception.filter';
import { NetaxisRateLimitGuard } from './netaxis-rate-limit.guard';

/** Every call-service controller: the bearer token, then the account's request bucket (in that order), the Netaxis error shape. */
export const NetaxisController = (path = ''): ClassDecorator =>
  DialectController('netaxis', path, { guards: [NetaxisAuthGuard, NetaxisRateLimitGuard], filters: [NetaxisExceptionFilter] });

/** The token endpoint: no token yet (the caller logs in), the same error filter. */
export const NetaxisTokenController = (path = ''): ClassDecorator => DialectController('netaxis', path, { filters: [NetaxisExceptionFilter] });
