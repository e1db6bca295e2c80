// Waiting for a Temporal server this process started: until `ready` succeeds on a fresh connection, the server
// exits (its code in the error), or the time is up (the last error in it).
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';

export async function untilServing(address: string, exited: Promise<number | null>, timeoutMs: number, ready: (connection: Connection) => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        return await ready(connection);
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }
  throw new Error(`not serving on ${address} after ${timeoutMs} ms (${(lastError as Error | undefined)?.message})`);
}
