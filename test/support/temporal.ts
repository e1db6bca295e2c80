// Connections to the run's shared Temporal dev server (started in global-setup.ts).
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export function testTemporalAddress(): string {
  const address = process.env.STEWARD_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('The Temporal dev server was not started: run the tests through jest (global-setup.ts).');
  return address;
}

export async function testClient(address = testTemporalAddress()): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
}

export function testNativeConnection(address = testTemporalAddress()): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}

/** A task queue of its own per test, so workers of different tests never take each other's tasks. */
export function uniqueTaskQueue(label: string): string {
  return `test-${label}-${randomUUID().slice(0, 8)}`;
}
