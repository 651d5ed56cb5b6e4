import type { DocumentCodec } from '../repos/repo-context';
import type { Resource } from '../schemas/resource.schema';
import type { Webhook } from '../schemas/webhook.schema';
import type { SecretBox } from './secret-box';

/** The AAD of a document's secrets: a ciphertext only opens in the document it was sealed for. */
function context(kind: string, doc: { account_id: string; id: string }): string {
  return `legwork/${kind}/${doc.account_id}/${doc.id}`;
}

/** Gateway passwords (carrier digest auth) encrypted at rest. */
export function resourceCodec<R extends Resource>(box: SecretBox): DocumentCodec<R> {
  const map = (doc: R, f: (password: string, ctx: string) => string): R => ({
    ...doc,
    gateways: doc.gateways.map((g) => (g.password === undefined ? g : { ...g, password: f(g.password, context('resource', doc)) })),
  });
  return {
    seal: (doc) => map(doc, (p, ctx) => box.seal(p, ctx)),
    open: (doc) => map(doc, (p, ctx) => box.open(p, ctx)),
    needsReseal: (doc) => doc.gateways.some((g) => g.password !== undefined && box.needsReseal(g.password)),
  };
}

/** The hook's signing secret encrypted at rest. */
export function webhookCodec(box: SecretBox): DocumentCodec<Webhook> {
  return {
    seal: (doc) => ({ ...doc, secret: box.seal(doc.secret, context('webhook', doc)) }),
    open: (doc) => ({ ...doc, secret: box.open(doc.secret, context('webhook', doc)) }),
    needsReseal: (doc) => box.needsReseal(doc.secret),
  };
}
