// Gateway transport compression: one zlib context per connection, each payload ending on a Z_SYNC_FLUSH boundary.
import { constants, createDeflate, deflateSync, type Deflate } from 'node:zlib';

export type Sender = (data: string | Buffer) => void;

export interface PayloadEncoder {
  send(text: string): void;
  close(): void;
}

export const plainEncoder = (send: Sender): PayloadEncoder => ({ send, close: () => undefined });

/** `compress: true` in IDENTIFY: every payload is its own complete zlib stream. */
export const identifyCompressionEncoder = (send: Sender): PayloadEncoder => ({
  send: (text) => send(deflateSync(text)),
  close: () => undefined,
});

/** `?compress=zlib-stream`: a shared deflate context, flushed after each payload so clients can inflate incrementally. */
export function zlibStreamEncoder(send: Sender): PayloadEncoder {
  const deflate: Deflate = createDeflate({ chunkSize: 65_536 });
  let pending: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => pending.push(chunk));
  deflate.on('error', () => undefined);
  return {
    send(text) {
      deflate.write(text);
      deflate.flush(constants.Z_SYNC_FLUSH, () => {
        if (pending.length === 0) return;
        const frame = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        pending = [];
        send(frame);
      });
    },
    close: () => deflate.close(),
  };
}
