import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { isKazooOk, type KazooRequest } from './kazoo.contract';
import { requestIdOf, successBody } from './kazoo-envelope';

interface HeaderSink {
  setHeader(name: string, value: string): void;
}

/** Wraps every Kazoo controller result in Kazoo's success envelope and echoes X-Request-ID. */
@Injectable()
export class KazooEnvelopeInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<KazooRequest>();
    ctx.switchToHttp().getResponse<HeaderSink>().setHeader('X-Request-ID', requestIdOf(req));
    return next.handle().pipe(
      map((result: unknown) => {
        if (isKazooOk(result)) return successBody(req, result.data, result);
        return successBody(req, result ?? {}, {});
      }),
    );
  }
}
