// Worker processes a crash test starts and SIGKILLs: each gets its own metrics port, is ready once it logs
// "Steward is running", and any still alive is killed when the test file ends.
import { freePort } from '../../src/net.js';
import { spawnSteward, type StewardProcess } from './steward-process.js';

export class WorkerProcesses {
  private readonly started: StewardProcess[] = [];

  /** `env()` is read at each start: test files fill their environment in `beforeAll`. */
  constructor(private readonly env: () => Record<string, string>) {}

  async start(): Promise<StewardProcess> {
    const worker = spawnSteward('worker', { ...this.env(), TEMPORAL_METRICS_PORT: String(await freePort()) });
    this.started.push(worker);
    await worker.waitForLog((line) => line.msg === 'Steward is running');
    return worker;
  }

  /** SIGKILL, as a crashed machine: no shutdown, no drain. Resolves once the process is gone. */
  async kill(worker: StewardProcess): Promise<string | number> {
    worker.child.kill('SIGKILL');
    return worker.exited;
  }

  killAll(): void {
    for (const worker of this.started) worker.child.kill('SIGKILL');
  }
}
