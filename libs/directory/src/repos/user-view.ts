import type { StoredUser, User } from '../schemas/user.schema';

/** The user without its credentials, as every read returns it. */
export function publicUser(user: StoredUser): User {
  const { pvt_md5_auth: _legacy, pvt_credentials: _credentials, ...rest } = user;
  return rest;
}
