import { Catch, Inject, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { AppLogger } from '@legwork/platform';
import { APP_LOGGER } from '../../../core/infra.tokens';
import type { JsonResponse } from '../../../core/json-response';
import { netaxisErrorBody } from './netaxis-error';
import { toNetaxisError } from './netaxis-error.map';

/** The Netaxis error shape, on the dialect's controllers and edge only. */
@Catch()
@Injectable()
export class NetaxisExceptionFilter implements ExceptionFilter {
  constructor(@Inject(APP_LOGGER) private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getResponse<JsonResponse>());
  }

  answer(exception: unknown, res: JsonResponse): void {
    if (res.headersSent) return;
    const err = toNetaxisError(exception);
    if (err.status >= 500) this.logger.error({ err: exception }, 'netaxis request failed');
    for (const [name, value] of Object.entries(err.extras.headers ?? {})) res.setHeader(name, value);
    res.status(err.status).json(netaxisErrorBody(err));
  }
}
