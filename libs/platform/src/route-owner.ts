import { SetMetadata } from '@nestjs/common';

/** Metadata key naming who answers a controller's routes (`platform`, or a dialect such as `kazoo`). */
export const ROUTE_OWNER = 'legwork:route-owner';

/** Claims a controller's routes for an owner; an app may refuse routes nobody claimed. */
export const RouteOwner = (owner: string): ClassDecorator => SetMetadata(ROUTE_OWNER, owner);

/** Owner of the routes every app serves itself (health, metrics). */
export const PLATFORM_ROUTES = 'platform';
