import * as net from 'node:net';

/** A TCP proxy in front of the shared OpenSearch, so a test can take "OpenSearch" away without stopping it. */
export interface TcpProxy {
  readonly url: string;
  /** Stops accepting and cuts every open connection. */
  close(): Promise<void>;
  /** Accepts again, on the same port. */
  open(): Promise<void>;
  /** Swallows the `n`-th response from now on and closes: OpenSearch did the work, the client never hears. */
  closeInsteadOfResponse(n: number): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  let responsesUntilCut = Infinity;
  let onCut: (() => void) | undefined;

  function cut(): void {
    server?.close();
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  }

  function handle(client: net.Socket): void {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (chunk.subarray(0, 5).toString('latin1') === 'HTTP/' && --responsesUntilCut === 0) {
        cut();
        onCut?.();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  async function open(): Promise<void> {
    const listening = net.createServer(handle);
    await new Promise<void>((resolve, reject) => listening.once('error', reject).listen(port, '127.0.0.1', resolve));
    port = (listening.address() as net.AddressInfo).port;
    server = listening;
  }

  await open();
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      cut();
    },
    open,
    closeInsteadOfResponse(n) {
      responsesUntilCut = n;
      return new Promise((resolve) => {
        onCut = () => {
          responsesUntilCut = Infinity;
          resolve();
        };
      });
    },
  };
}
