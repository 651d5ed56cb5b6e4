// Waiting on the platform under test: phones registered in the call store.
import { sleep } from './env.mjs';

/** Waits until every SIP user has a binding in the call store, or throws with `tail()` past 30 s. */
export async function waitRegistered(store, users, realm, tail) {
  for (let waited = 0; ; waited += 200) {
    const bound = await Promise.all(users.map(async (u) => (await store.registrations.list(`${u.username}@${realm}`)).length > 0));
    if (bound.every(Boolean)) return;
    if (waited > 30_000) throw new Error(`phones did not register\n${tail()}`);
    await sleep(200);
  }
}
