import { DialectController } from '../../../core/dialect-controller.decorator';
import { KazooAuthGuard } from './kazoo-auth.guard';
import { KazooEnvelopeInterceptor } from './kazoo-envelope.interceptor';
import { KazooExceptionFilter } from './kazoo-exception.filter';
import { KazooRateLimitGuard } from './kazoo-rate-limit.guard';

/** Every Kazoo controller: auth then rate limit (in that order), the success envelope and Kazoo's error shape. */
export const KazooController = (path: string): ClassDecorator =>
  DialectController('kazoo', path, {
    guards: [KazooAuthGuard, KazooRateLimitGuard],
    interceptors: [KazooEnvelopeInterceptor],
    filters: [KazooExceptionFilter],
  });
