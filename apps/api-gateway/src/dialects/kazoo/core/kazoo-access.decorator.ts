import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Operation } from '@legwork/directory';

export const KAZOO_ACCESS = 'kazoo:access';

/** How a route maps onto the shared access policy: the operation, and which path parameters name its target. */
export interface KazooAccessSpec {
  operation: Operation;
  /** Path parameter naming the user or device addressed (user.*, device.*, originate.*). */
  target?: string;
  /** Path parameter naming the call (call.*) or the CDR (cdr.*) addressed; its owner is loaded for the policy. */
  call?: string;
  cdr?: string;
}

/**
 * Declares the route's access policy; the auth guard refuses every /v2 route without one, and a test
 * walks every registered route to make sure none is missing. Shown in the OpenAPI document as x-access.
 */
export function Access(operation: Operation, where: Omit<KazooAccessSpec, 'operation'> = {}): MethodDecorator {
  return applyDecorators(SetMetadata(KAZOO_ACCESS, { operation, ...where } satisfies KazooAccessSpec), ApiExtension('x-access', operation));
}
