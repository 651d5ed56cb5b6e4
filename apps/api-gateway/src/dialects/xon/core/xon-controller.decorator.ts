import { DialectController } from '../../../core/dialect-controller.decorator';
import { XonAuthGuard } from './xon-auth.guard';
import { XonExceptionFilter } from './xon-exception.filter';
import { XonRateLimitGuard } from './xon-rate-limit.guard';

/** Every X-on controller: the xon client's bearer secret, then the account's api_bucket, and X-on's error shape. */
export const XonController = (path: string): ClassDecorator =>
  DialectController('xon', path, { guards: [XonAuthGuard, XonRateLimitGuard], filters: [XonExceptionFilter] });
