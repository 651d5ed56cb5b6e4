import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { AMQP_URL } from './webhook-scratch';

/** A TCP relay to the broker that a test cuts to make one worker vanish as a crashed one would. */
export class BrokerRelay {
  private readonly server: Server = createServer((client) => this.relay(client));
  private readonly sockets = new Set<Socket>();
  private readonly target = new URL(AMQP_URL);
  private cutOff = false;

  /** The AMQP URL through the relay. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const url = new URL(AMQP_URL);
    url.hostname = '127.0.0.1';
    url.port = String((this.server.address() as AddressInfo).port);
    return url.toString();
  }

  /** Drops every relayed connection and refuses new ones. */
  cut(): void {
    this.cutOff = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    if (this.cutOff) return void client.destroy();
    const upstream = connect(Number(this.target.port || 5672), this.target.hostname);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        this.sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
