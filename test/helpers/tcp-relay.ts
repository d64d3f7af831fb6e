import net from 'node:net';

/**
 * A TCP relay on loopback in front of one Solr node, which a test can cut and restore: cut, the
 * port refuses connections and open ones are dropped (the network between Witness and Solr gone);
 * restored, the same port relays again. A stand-in for the network, not for Solr.
 */
export interface TcpRelay {
  /** The relayed node's address, e.g. http://127.0.0.1:40123/solr. */
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpRelay(target: string): Promise<TcpRelay> {
  const to = new URL(target);
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to.port), to.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const port = await listen(0);
  const stop = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${String(port)}${to.pathname}`,
    cut: stop,
    async restore() {
      if (!server.listening) await listen(port);
    },
    close: stop,
  };
}
