import type { SipRequest, SipResponse } from '../message/sip-message';
import type { InboundSipMessage, SipSource, SipTarget } from '../transport/transport.types';
import { AcceptedInvites } from './accepted-invites';
import { newBranch } from './branch';
import { InviteClientTransaction } from './invite-client.transaction';
import { InviteServerTransaction } from './invite-server.transaction';
import { NonInviteClientTransaction } from './non-invite-client.transaction';
import { NonInviteServerTransaction } from './non-invite-server.transaction';
import { clientKey, serverKey } from './transaction-keys';
import type { ClientTransaction, ClientTransactionUser, ServerTransaction, TransactionContext } from './transaction.types';

/** What the layer hands up to the UA core. */
export interface TransactionLayerUser {
  /** A new request (not ACK, not CANCEL) with its freshly created server transaction. */
  onServerRequest(tx: ServerTransaction, request: SipRequest, source: SipSource): void;
  /** A CANCEL with its own server transaction and the INVITE transaction it targets, if any (§9.2). */
  onCancel(cancelTx: ServerTransaction, inviteTx: InviteServerTransaction | undefined): void;
  /** An ACK matching no server transaction: the ACK for a 2xx (§17.2.3 / §13.3.1.4). */
  onAck(request: SipRequest, source: SipSource): void;
  /** A response matching no client transaction (late or forked 2xx after Timer M, strays). */
  onStrayResponse(response: SipResponse, source: SipSource): void;
}

/** Matches every message to its transaction through two Maps; never scans. */
export class TransactionLayer {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly dropClient = (key: string, tx: unknown): void => {
    if (this.clients.get(key) === tx) this.clients.delete(key);
  };
  private readonly dropServer = (key: string, tx: unknown): void => {
    if (this.servers.get(key) === tx) this.servers.delete(key);
  };
  /** RFC 6026 Accepted INVITE client transactions: only a record each, the full transaction is let go. */
  private readonly accepted: AcceptedInvites;
  private readonly acceptClient = (key: string, tx: unknown, user: ClientTransactionUser): void => {
    if (this.clients.get(key) !== tx) return;
    this.clients.delete(key);
    this.accepted.add(key, user);
  };

  constructor(
    readonly ctx: TransactionContext,
    private readonly user: TransactionLayerUser,
  ) {
    this.accepted = new AcceptedInvites(64 * ctx.timers.T1);
  }

  get size(): { clients: number; servers: number } {
    return { clients: this.clients.size + this.accepted.size, servers: this.servers.size };
  }

  receive(inbound: InboundSipMessage): void {
    const { message, source } = inbound;
    if (message.kind === 'response') this.receiveResponse(message, source);
    else this.receiveRequest(message, source);
  }

  private receiveResponse(response: SipResponse, source: SipSource): void {
    const branch = response.via?.branch;
    const method = response.cseq?.method;
    if (branch === undefined || method === undefined) {
      this.user.onStrayResponse(response, source);
      return;
    }
    const key = clientKey(branch, method);
    const tx = this.clients.get(key);
    if (tx !== undefined) tx.receiveResponse(response);
    else if (!this.accepted.receive(key, response)) this.user.onStrayResponse(response, source);
  }

  private receiveRequest(request: SipRequest, source: SipSource): void {
    const key = serverKey(request, request.method);
    if (key === undefined) return;
    const existing = this.servers.get(key);
    if (existing !== undefined) {
      existing.receiveRequest(request);
      return;
    }
    if (request.method === 'ACK') {
      this.user.onAck(request, source);
      return;
    }
    if (request.method === 'INVITE') {
      const tx = new InviteServerTransaction(key, request, source, this.ctx, this.dropServer);
      this.servers.set(key, tx);
      this.user.onServerRequest(tx, request, source);
      return;
    }
    const tx = new NonInviteServerTransaction(key, request, source, this.ctx, this.dropServer);
    this.servers.set(key, tx);
    if (request.method === 'CANCEL') {
      const inviteKey = serverKey(request, 'INVITE');
      const invite = inviteKey === undefined ? undefined : this.servers.get(inviteKey);
      this.user.onCancel(tx, invite instanceof InviteServerTransaction ? invite : undefined);
      return;
    }
    this.user.onServerRequest(tx, request, source);
  }

  /** Adds our Via (new branch, rport) unless keepVia (CANCEL reuses the INVITE's), then starts the matching client transaction. */
  send(request: SipRequest, target: SipTarget, user: ClientTransactionUser, keepVia = false): ClientTransaction {
    let branch = keepVia ? request.via?.branch : undefined;
    if (branch === undefined) {
      branch = newBranch();
      const by = this.ctx.transport.sentBy(target.protocol);
      const host = by.host.includes(':') && !by.host.startsWith('[') ? `[${by.host}]` : by.host;
      request.headers.prepend('Via', `SIP/2.0/${by.protocol.toUpperCase()} ${host}:${by.port};branch=${branch};rport`);
    }
    const key = clientKey(branch, request.method);
    const tx =
      request.method === 'INVITE'
        ? new InviteClientTransaction(key, request, target, this.ctx, user, this.dropClient, this.acceptClient)
        : new NonInviteClientTransaction(key, request, target, this.ctx, user, this.dropClient);
    this.accepted.delete(key);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** Gives up on a client transaction (§9.1: no final response 64*T1 after CANCEL). */
  abandon(request: SipRequest): void {
    const branch = request.via?.branch;
    if (branch === undefined) return;
    const key = clientKey(branch, request.method);
    this.clients.get(key)?.terminate();
    this.accepted.delete(key);
  }

  close(): void {
    for (const tx of [...this.clients.values()]) tx.terminate();
    for (const tx of [...this.servers.values()]) tx.terminate();
    this.accepted.clear();
  }
}
