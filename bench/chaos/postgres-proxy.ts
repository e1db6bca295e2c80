// A TCP proxy between Steward and PostgreSQL that can cut every connection: the chaos suite's network partition.
// While cut, open connections are destroyed mid-stream and new ones are closed as they arrive, as a dropped link
// or a failed-over database would look to the pg driver.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface PostgresProxy {
  /** The database URL with the proxy's address in place of PostgreSQL's. */
  urlFor(databaseUrl: string): string;
  /** Cuts every connection and refuses new ones for `ms`; resolves once the link is back. */
  cut(ms: number): Promise<void>;
  /** Connections destroyed by cuts, refused ones included. */
  readonly connectionsCut: number;
  close(): Promise<void>;
}

export async function startPostgresProxy(target = { host: '127.0.0.1', port: 5432 }): Promise<PostgresProxy> {
  const open = new Set<Socket>();
  let cutUntil = 0;
  let connectionsCut = 0;
  const server: Server = createServer((client) => {
    if (Date.now() < cutUntil) {
      connectionsCut++;
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    open.add(client);
    const end = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.host = `127.0.0.1:${port}`;
      return url.toString();
    },
    async cut(ms) {
      cutUntil = Date.now() + ms;
      for (const socket of open) {
        connectionsCut++;
        socket.destroy();
      }
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    get connectionsCut() {
      return connectionsCut;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
