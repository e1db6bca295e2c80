// Listens and closes cleanly: on shutdown, idle keep-alive sockets are closed and in-flight requests finish.
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: Express, host: string, port: number): Promise<RunningHttpServer> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${boundPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
