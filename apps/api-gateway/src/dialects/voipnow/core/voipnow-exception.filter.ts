import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { AppContext } from '@legwork/platform';
import { API_GATEWAY_CONTEXT } from '../../../api-gateway.context';
import { OAuthError } from '../oauth/oauth-error';
import type { VoipnowRequest } from './voipnow.contract';
import { voipnowErrorBody } from './voipnow-error';
import { toVoipnowError } from './voipnow-error.map';

interface JsonResponse {
  headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/** VoipNow's error shapes, on VoipNow's controllers only: `{"error":{"code","message"}}`, OAuth's on the token endpoint. */
@Catch()
export class VoipnowExceptionFilter implements ExceptionFilter {
  constructor(@Inject(API_GATEWAY_CONTEXT) private readonly ctx: AppContext<unknown>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<JsonResponse>();
    if (res.headersSent) return;
    if (exception instanceof OAuthError) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
      res.setHeader('Cache-Control', 'no-store');
      res.status(exception.status).json(exception.body());
      return;
    }
    const err = toVoipnowError(exception);
    if (err.status >= 500) this.ctx.logger.error({ err: exception, url: host.switchToHttp().getRequest<VoipnowRequest>().url }, 'voipnow request failed');
    for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
    res.status(err.status).json(voipnowErrorBody(err));
  }
}
