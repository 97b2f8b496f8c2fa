/**
 * CPU time of processes on this machine from the kernel (/proc), so the process measured (the server,
 * a worker, a Postgres backend) is not disturbed by the measurement.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU of a process so far, in ms. */
export function cpuMs(pid: number): number {
  // Fields after the command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}

/** cpuMs of each pid still running (a Postgres backend may end between the query and the read). */
export function cpuMsByPid(pids: number[]): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    try {
      cpu.set(pid, cpuMs(pid));
    } catch {
      // The process ended meanwhile.
    }
  }
  return cpu;
}

/** CPU ms spent between two cpuMsByPid readings, counting processes that started in between from zero. */
export function cpuMsSince(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}

/** Every running process whose command name is one of `names` (e.g. all of Postgres' processes, WAL writer included). */
export function pidsNamed(names: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) pids.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids;
}
