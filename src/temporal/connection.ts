// Connection settings shared by the client (adapters) and the native connection (worker): plain for the dev
// server, TLS with an API key or mTLS certificates for a cluster or Temporal Cloud.
import { readFileSync } from 'node:fs';
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config/index.js';

type TemporalSettings = Config['temporal'];

function connectionOptions(temporal: TemporalSettings, address: string) {
  const { tls } = temporal;
  return {
    address,
    apiKey: temporal.apiKey,
    tls: tls
      ? {
          serverNameOverride: tls.serverName,
          serverRootCACertificate: tls.caPath ? readFileSync(tls.caPath) : undefined,
          clientCertPair:
            tls.certPath && tls.keyPath ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } : undefined,
        }
      : undefined,
  };
}

export async function connectClient(temporal: TemporalSettings, address: string, interceptors?: WorkflowClientInterceptor[]): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(temporal, address));
  return new Client({ connection, namespace: temporal.namespace, ...(interceptors ? { interceptors: { workflow: interceptors } } : {}) });
}

export function connectWorker(temporal: TemporalSettings, address: string): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(temporal, address));
}
