import * as net from 'node:net';
import { LocalCloudError } from '../errors';

/**
 * A loopback TCP proxy in front of a shared engine, so one stage can lose that engine (an outage, a restart)
 * without stopping the engine other users of this machine rely on.
 */
export class TcpProxy {
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.listen(0);
    return proxy;
  }

  private server?: net.Server;
  private readonly connections = new Set<net.Socket>();
  private port_ = 0;
  private reopen?: NodeJS.Timeout;
  private closed = false;

  private constructor(private readonly target: { host: string; port: number }) {}

  get port(): number {
    return this.port_;
  }

  /** True while the proxy refuses connections. */
  get down(): boolean {
    return this.server === undefined;
  }

  /**
   * Drops every open connection and refuses new ones (ECONNREFUSED, as from a stopped server) for `ms`,
   * then listens again on the same port.
   */
  outage(ms: number): Promise<void> {
    if (this.closed) throw new LocalCloudError('the proxy is closed: start the stage again');
    clearTimeout(this.reopen);
    this.stopListening();
    return new Promise((resolve, reject) => {
      this.reopen = setTimeout(() => {
        this.listen(this.port_).then(resolve, reject);
      }, ms);
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reopen);
    this.stopListening();
  }

  private stopListening(): void {
    this.server?.close();
    this.server = undefined;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.connections.add(socket);
        socket.on('close', () => this.connections.delete(socket));
        socket.on('error', () => (socket === client ? upstream : client).destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.server = server;
        this.port_ = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }
}
