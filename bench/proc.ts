// Readings of processes and the machine from /proc, so a benchmark can say which part used the CPU and memory.
import { readFileSync } from 'node:fs';

/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User plus system CPU time of a whole process (every thread); 0 once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After "pid (comm) ", utime and stime are the 12th and 13th fields.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU time every core spent busy (user, nice, system, irq, softirq, steal), from /proc/stat. */
export function machineCpuSeconds(): number {
  const total = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [, user, nice, system, , , irq, softirq, steal] = total.split(/\s+/);
  const busy = [user, nice, system, irq, softirq, steal].reduce((sum, ticks) => sum + Number(ticks), 0);
  return busy / CLOCK_TICKS_PER_SECOND;
}

/** Resident memory of a process in MiB; 0 once it is gone. */
export function rssMiB(pid: number | undefined): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
