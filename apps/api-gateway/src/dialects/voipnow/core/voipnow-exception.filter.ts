import { Catch, Inject, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { AppLogger } from '@legwork/platform';
import { APP_LOGGER } from '../../../core/infra.tokens';
import { OAuthError } from '../oauth/oauth-error';
import { voipnowErrorBody } from './voipnow-error';
import { toVoipnowError } from './voipnow-error.map';

export interface JsonResponse {
  headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/** VoipNow's error shapes, on VoipNow's controllers and edge only: `{"error":{"code","message"}}`, OAuth's on the token endpoint. */
@Catch()
@Injectable()
export class VoipnowExceptionFilter implements ExceptionFilter {
  constructor(@Inject(APP_LOGGER) private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getResponse<JsonResponse>());
  }

  answer(exception: unknown, res: JsonResponse): void {
    if (res.headersSent) return;
    if (exception instanceof OAuthError) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
      res.setHeader('Cache-Control', 'no-store');
      res.status(exception.status).json(exception.body());
      return;
    }
    const err = toVoipnowError(exception);
    if (err.status >= 500) this.logger.error({ err: exception }, 'voipnow request failed');
    for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
    res.status(err.status).json(voipnowErrorBody(err));
  }
}
