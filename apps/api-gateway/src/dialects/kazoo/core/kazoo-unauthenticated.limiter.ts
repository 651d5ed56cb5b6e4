import { Inject, Injectable } from '@nestjs/common';
import type { Directory, RequestLimiter } from '@legwork/directory';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, DIRECTORY } from '../../../core/infra.tokens';

/** Requests without a valid token, per source address: one counter for the dialect, however many modules host its guard. */
@Injectable()
export class KazooUnauthenticatedLimiter implements RequestLimiter {
  private readonly limiter: RequestLimiter;

  constructor(@Inject(DIRECTORY) directory: Directory, @Inject(APP_CONFIG) config: ApiGatewayConfig) {
    this.limiter = directory.requestLimiter({
      name: 'rest-unauthenticated',
      points: config.UNAUTHENTICATED_RATE_LIMIT,
      durationSeconds: config.UNAUTHENTICATED_RATE_WINDOW_SECONDS,
    });
  }

  consume(source: string): ReturnType<RequestLimiter['consume']> {
    return this.limiter.consume(source);
  }
}
