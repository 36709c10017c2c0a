/**
 * CPU time by part of the stack (Linux /proc): the Temporal dev server, PostgreSQL (the postmaster
 * and its backends), this process (API, simulators, purchase and baseline workers, load client)
 * and, when given, the separate worker process. Differences between two snapshots say where a
 * rung's work went; wall time alone cannot, on a two-core machine shared by all of them.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const CPU_PARTS = ['temporal', 'postgres', 'bench', 'worker'] as const;
export type CpuPart = (typeof CPU_PARTS)[number];
export type CpuMs = Readonly<Record<CpuPart, number>>;

/** CPU time so far of each part; PostgreSQL by process, as its backends come and go between readings. */
export interface CpuSnapshot {
  readonly parts: CpuMs;
  readonly postgresByPid: ReadonlyMap<number, number>;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ; 100 on Linux for x86 and arm). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  cpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields are counted after its closing one.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { pid, ppid: Number(fields[1]), cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined; // The process ended between the listing and the read.
  }
}

function readArgs(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The process whose arguments hold `flag` directly followed by `value` and satisfy `also`. */
function findByArgs(flag: string, value: string, also: (args: string[]) => boolean): number | undefined {
  return allPids().find((pid) => {
    const args = readArgs(pid);
    const i = args.indexOf(flag);
    return i >= 0 && args[i + 1] === value && also(args);
  });
}

/** Reads the CPU time of the stack's parts; the pids are found once, from the ports the parts listen on. */
export class CpuProbe {
  private readonly temporalPid: number | undefined;
  private readonly postmasterPid: number | undefined;

  constructor(
    temporalAddress: string,
    databaseUrl: string,
    private readonly workerPid?: number,
  ) {
    const temporalPort = temporalAddress.split(':').at(-1) ?? '';
    this.temporalPid = findByArgs('--port', temporalPort, (args) => args.includes('start-dev'));
    const pgPort = new URL(databaseUrl).port;
    this.postmasterPid = findByArgs(
      '-p',
      pgPort,
      (args) => args.includes('-D') && (args[0] ?? '').endsWith('postgres'),
    );
  }

  /** Whether every part was found (a missing one reads 0). */
  get complete(): boolean {
    return this.temporalPid !== undefined && this.postmasterPid !== undefined;
  }

  withWorker(workerPid: number): CpuProbe {
    const probe = Object.create(CpuProbe.prototype) as CpuProbe;
    Object.assign(probe, this, { workerPid });
    return probe;
  }

  snapshot(): CpuSnapshot {
    const stats = allPids()
      .map(readStat)
      .filter((s): s is ProcStat => s !== undefined);
    const own = process.cpuUsage();
    const postgresByPid = new Map(
      stats
        .filter((s) => s.pid === this.postmasterPid || s.ppid === this.postmasterPid)
        .map((s) => [s.pid, s.cpuMs] as const),
    );
    const cpuOf = (pid: number | undefined) => stats.find((s) => s.pid === pid)?.cpuMs ?? 0;
    return {
      parts: {
        temporal: cpuOf(this.temporalPid),
        postgres: [...postgresByPid.values()].reduce((sum, ms) => sum + ms, 0),
        bench: (own.user + own.system) / 1000,
        worker: cpuOf(this.workerPid),
      },
      postgresByPid,
    };
  }
}

/**
 * CPU ms each part spent between two snapshots. PostgreSQL counts the backends alive at the second
 * (a new one wholly); one that ended in between is lost, so its figure is a floor.
 */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): CpuMs {
  let postgres = 0;
  for (const [pid, ms] of after.postgresByPid) postgres += Math.max(0, ms - (before.postgresByPid.get(pid) ?? 0));
  return {
    temporal: after.parts.temporal - before.parts.temporal,
    postgres,
    bench: after.parts.bench - before.parts.bench,
    worker: after.parts.worker - before.parts.worker,
  };
}

/** The machine's CPU time so far, all cores: busy and in all (/proc/stat), in ms. */
export interface MachineCpu {
  readonly busyMs: number;
  readonly totalMs: number;
}

export function machineCpu(): MachineCpu {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are the time no work ran.
  const total = fields.slice(0, 8).reduce((s, v) => s + v, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busyMs: ((total - idle) * 1000) / TICKS_PER_SECOND, totalMs: (total * 1000) / TICKS_PER_SECOND };
}

/** The share of the machine's CPU (all cores) that was busy between two readings, 0–1. */
export function busyShare(before: MachineCpu, after: MachineCpu): number {
  const total = after.totalMs - before.totalMs;
  return total <= 0 ? 0 : (after.busyMs - before.busyMs) / total;
}

/** `spent` divided by `count` (ms per request, per order-day, …), to three decimals. */
export function cpuPer(spent: CpuMs, count: number): CpuMs {
  const per = (ms: number) => Math.round((ms / count) * 1000) / 1000;
  return {
    temporal: per(spent.temporal),
    postgres: per(spent.postgres),
    bench: per(spent.bench),
    worker: per(spent.worker),
  };
}

/** Adds two CPU spends part by part. */
export function cpuSum(a: CpuMs, b: CpuMs): CpuMs {
  return {
    temporal: a.temporal + b.temporal,
    postgres: a.postgres + b.postgres,
    bench: a.bench + b.bench,
    worker: a.worker + b.worker,
  };
}

export const NO_CPU: CpuMs = { temporal: 0, postgres: 0, bench: 0, worker: 0 };
