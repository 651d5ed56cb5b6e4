import { ForbiddenException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROUTE_OWNER, type AppLogger } from '@legwork/platform';
import { APP_LOGGER } from './infra.tokens';

/**
 * The gateway's one app-wide guard: a route is served only when a dialect (`DialectController`) or the
 * platform (health, metrics) claims its controller, so a controller mounted without its dialect's
 * guards is refused rather than left open. It checks metadata, never paths.
 */
@Injectable()
export class RouteOwnerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const owner = this.reflector.get<string | undefined>(ROUTE_OWNER, context.getClass());
    if (owner !== undefined) return true;
    this.logger.error({ controller: context.getClass().name }, 'route claimed by no dialect refused');
    throw new ForbiddenException('this route belongs to no dialect');
  }
}
