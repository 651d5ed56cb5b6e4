import { DialectController } from '../../../core/dialect-controller.decorator';
import { BasixAuthGuard } from './basix-auth.guard';
import { BasixExceptionFilter } from './basix-exception.filter';
import { BasixRateLimitGuard } from './basix-rate-limit.guard';

/** Every Basix controller: Basic DOMAIN:API_TOKEN, then the account's api_bucket, and Basix's error shape. */
export const BasixController = (path: string): ClassDecorator =>
  DialectController('basix', path, { guards: [BasixAuthGuard, BasixRateLimitGuard], filters: [BasixExceptionFilter] });
