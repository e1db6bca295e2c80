// The gate waiting interactions run again through: one shared, growing pause after failures, a few re-runs at a
// time, and back to the first pause once a run goes through.
import { setTimeout as sleep } from 'node:timers/promises';
import { OutageGate } from '../../src/discord/outage-gate.js';

const gate = () => new OutageGate({ firstPauseMs: 100, longestPauseMs: 400, concurrentReruns: 2 });

test('no more than the allowed re-runs are in flight at once; the rest take their turn', async () => {
  const outage = gate();
  let inFlight = 0;
  let most = 0;
  const done = await Promise.all(
    Array.from({ length: 10 }, (_, index) =>
      outage.rerun(async () => {
        most = Math.max(most, ++inFlight);
        await sleep(20);
        inFlight--;
        return index;
      }),
    ),
  );
  expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(most).toBe(2);
});

test('a failure holds every re-run off for the shared pause, which doubles up to its longest', async () => {
  const outage = gate();
  outage.failed();
  const first = Date.now();
  await outage.rerun(async () => undefined);
  expect(Date.now() - first).toBeGreaterThanOrEqual(95);

  outage.failed();
  outage.failed();
  outage.failed();
  // The pause doubled with each failure and stays at its longest, 400 ms.
  expect(outage.opensAt - Date.now()).toBeGreaterThan(300);
  expect(outage.opensAt - Date.now()).toBeLessThanOrEqual(400);
});

test('a failure while re-runs wait for a place closes the gate to them as well', async () => {
  const outage = gate();
  const started: number[] = [];
  const t0 = Date.now();
  const blockers = [0, 1].map(() => outage.rerun(() => sleep(50)));
  // Waiting for a place; the failure recorded meanwhile sends it back to wait out the pause.
  const waiting = outage.rerun(async () => void started.push(Date.now() - t0));
  await sleep(10);
  outage.failed();
  await Promise.all([...blockers, waiting]);
  expect(started[0]).toBeGreaterThanOrEqual(100);
});

test('a run that goes through opens the gate and brings the pause back to the first', async () => {
  const outage = gate();
  outage.failed();
  outage.failed();
  outage.succeeded();
  expect(outage.opensAt - Date.now()).toBeLessThanOrEqual(0);
  outage.failed();
  expect(outage.opensAt - Date.now()).toBeLessThanOrEqual(100);
});
