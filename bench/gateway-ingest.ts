// MESSAGE_CREATE events per second one discord.js client takes in, and its CPU per event: a busy guild's chatter
// shares the adapter process's event loop with interactions, which have to be acknowledged within 3 seconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { createWorld, type World } from '../test/sandbox/world.js';
import { round, writeResults } from './stats.js';

const WARMUP = 10_000;
/** At the ~60,000 events/s seen here, enough for a measured window of over a second. */
const EVENTS = 100_000;
/** Messages the sandbox creates between yields to its event loop, so its socket writes go out while it produces. */
const BATCH = 100;
const RECEIVE_TIMEOUT_MS = 30_000;

interface SandboxReady {
  url: string;
  token: string;
}

interface Emitted {
  emitMs: number;
  cpuMs: number;
}

export async function benchmarkGatewayIngest() {
  // The sandbox runs in a child process so that producing the events neither slows the client down nor shows up
  // in its process.cpuUsage().
  const start = 'const { serveSandbox } = await import(process.argv[1]); await serveSandbox();';
  const sandbox = spawn(process.execPath, ['--input-type=module', '-e', start, import.meta.url], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => sandbox.once('exit', resolve));
  const { url, token } = await reply<SandboxReady>(sandbox);

  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: `${url}/api` },
  });
  let received = 0;
  let waiting: { target: number; reached: () => void } | undefined;
  client.on(Events.MessageCreate, () => {
    if (++received === waiting?.target) waiting.reached();
  });
  /** Asks the sandbox for `count` messages; resolves when all have arrived here, with the sandbox's emit report. */
  const exchange = async (count: number) => {
    const target = received + count;
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Only ${received} of ${target} events arrived`)),
        RECEIVE_TIMEOUT_MS,
      );
      waiting = { target, reached: () => (clearTimeout(timer), resolve()) };
    });
    sandbox.send(count);
    const [emitted] = await Promise.all([reply<Emitted>(sandbox), arrived]);
    return emitted;
  };

  try {
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(token);
    await ready;
    let payloadBytes = 0;
    client.once(Events.Raw, (packet: unknown) => (payloadBytes = Buffer.byteLength(JSON.stringify(packet))));
    await exchange(WARMUP);

    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const emitted = await exchange(EVENTS);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const clientCpuMs = (cpu.user + cpu.system) / 1000;

    const figures = {
      events: EVENTS,
      eventsPerSecond: round((EVENTS / wallMs) * 1000, 0),
      clientCpuMicrosecondsPerEvent: round((clientCpuMs * 1000) / EVENTS),
      // 100 means the client kept one core busy: it, not the sandbox, set the pace.
      clientCpuPercent: round((clientCpuMs / wallMs) * 100, 1),
      sandboxEmitsPerSecond: round((EVENTS / emitted.emitMs) * 1000, 0),
      sandboxCpuMicrosecondsPerEvent: round((emitted.cpuMs * 1000) / EVENTS),
      payloadBytes,
      setup: [
        `${WARMUP} warm-up then ${EVENTS} MESSAGE_CREATE in one guild channel, created by a sandbox child process as`,
        'fast as it can; a discord.js client (Guilds, GuildMessages, MessageContent; no gateway compression, as',
        'zlib-sync is not installed) counting messageCreate events. Rate: events / (command sent to last event',
        'received). CPU percentages: 100 = one core.',
      ].join(' '),
    };
    return { path: writeResults('gateway-ingest', figures), figures };
  } finally {
    await client.destroy();
    sandbox.kill('SIGTERM');
    await exited;
  }
}

/** The sandbox's side, run in the child process started above; it answers each count with its emit report. */
export async function serveSandbox(): Promise<void> {
  const world = await createWorld();
  process.on('message', (count: number) => void emitMessages(world, count).then((emitted) => process.send!(emitted)));
  // Should the benchmark die without killing this process, losing the IPC channel still ends it.
  process.once('disconnect', () => void world.sandbox.close().then(() => process.exit(0)));
  process.send!({ url: world.sandbox.url, token: world.app.token } satisfies SandboxReady);
}

async function emitMessages({ sandbox, memberId, channelId }: World, count: number): Promise<Emitted> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let index = 1; index <= count; index++) {
    const content = `Message ${index}, about as long as a typical line of chat.`;
    sandbox.driver.sendMessage(memberId, channelId, { content });
    if (index % BATCH === 0) await yieldToEventLoop();
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { emitMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function reply<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`The sandbox process exited (${code}) before answering`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as T);
    });
  });
}
