import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { SECOND_KEY, SECOND_KEY_HEADER, SecondError } from './second.contract';

/** The dialect's own auth: a fixed key in a header. */
@Injectable()
export class SecondKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<IncomingMessage>();
    if (req.headers[SECOND_KEY_HEADER] !== SECOND_KEY) throw new SecondError(401, 'unauthenticated', `send ${SECOND_KEY_HEADER}`);
    return true;
  }
}
