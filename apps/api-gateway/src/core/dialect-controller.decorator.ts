import { applyDecorators, Controller, UseFilters, UseGuards, UseInterceptors, type CanActivate, type ExceptionFilter, type NestInterceptor, type Type } from '@nestjs/common';
import { RouteOwner } from '@legwork/platform';

/** What a dialect puts around each of its routes: its guards (in order), interceptors and error filters. */
export interface DialectPlumbing {
  guards?: Array<Type<CanActivate>>;
  interceptors?: Array<Type<NestInterceptor>>;
  filters?: Array<Type<ExceptionFilter>>;
}

/**
 * A dialect's controller: Nest's `@Controller(path)` claimed for the dialect (see RouteOwnerGuard) with
 * the dialect's own plumbing attached to it alone. Each dialect wraps this once (`KazooController`).
 */
export function DialectController(dialect: string, path: string, plumbing: DialectPlumbing): ClassDecorator {
  return applyDecorators(
    Controller(path),
    RouteOwner(dialect),
    UseGuards(...(plumbing.guards ?? [])),
    UseInterceptors(...(plumbing.interceptors ?? [])),
    UseFilters(...(plumbing.filters ?? [])),
  );
}
