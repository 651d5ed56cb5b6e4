import { Catch, HttpException, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { SecondError } from './second.contract';

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): void;
}

/** `{ ok: false, error: { code, message, field? } }` for every failure of the dialect. */
export function toSecondError(err: unknown): SecondError {
  if (err instanceof SecondError) return err;
  const cause = err instanceof HttpException ? err.cause : undefined;
  if (cause instanceof SyntaxError) return new SecondError(400, 'invalid_json', 'the body is not JSON');
  if (err instanceof HttpException && err.getStatus() === 404) return new SecondError(404, 'no_such_route', 'no such route');
  return new SecondError(500, 'internal', 'something failed');
}

@Catch()
@Injectable()
export class SecondErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getResponse<JsonResponse>());
  }

  answer(exception: unknown, res: JsonResponse): void {
    const err = toSecondError(exception);
    res.status(err.status).json({ ok: false, error: { code: err.code, message: err.message, ...(err.field === undefined ? {} : { field: err.field }) } });
  }
}
