import { Cron, type CronOptions } from 'croner';
import type { Log } from '../log/index.js';
import { newTraceUuid, runWithTrace } from '../trace/index.js';
import type { SendOptions, StopSchedules } from './jobs.types.js';

export interface ScheduleRunnerDeps {
  send(name: string, payload: unknown, options: SendOptions): Promise<string | null>;
  log: Log;
  /** Asked right before each tick: a leader whose lease lapsed (paused process) must not fire. */
  isLeader?: () => boolean;
}

export interface RuntimeSchedule {
  name: string;
  cron: string;
  job: string;
  payload: unknown;
  timezone?: string;
}

/**
 * Fires each schedule with croner and enqueues its job under the key `schedule:<name>:<tick>`,
 * where `<tick>` is the scheduled time (not the moment the timer fired). Two leaders overlapping
 * for a moment compute the same key for the same tick, and the key is both the singleton key and
 * the idempotency key (the job id), so the second send is refused even if the first job has
 * already finished.
 */
export function startSchedules(
  deps: ScheduleRunnerDeps,
  schedules: readonly RuntimeSchedule[],
): StopSchedules {
  const names = new Set<string>();
  for (const s of schedules) {
    if (names.has(s.name)) throw new Error(`schedule "${s.name}" is declared twice`);
    names.add(s.name);
  }
  const inFlight = new Set<Promise<void>>();
  const crons = schedules.map((schedule) => {
    // A second instance that never runs anything, to compute ticks without touching the timer.
    const pattern = new Cron(schedule.cron, cronOptions(schedule));
    return new Cron(schedule.cron, { ...cronOptions(schedule), catch: true }, () => {
      const tick = scheduledTick(pattern, new Date());
      if (deps.isLeader && !deps.isLeader()) {
        deps.log.debug({ schedule: schedule.name, tick: tick.toISOString() }, 'not the leader: tick skipped');
        return;
      }
      const sent = fire(schedule, tick).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
      return sent;
    });
  });

  async function fire(schedule: RuntimeSchedule, tick: Date): Promise<void> {
    // Each tick is its own unit of work: the job and its log lines share this new trace.
    await runWithTrace({ traceUuid: newTraceUuid() }, async () => {
      const key = `schedule:${schedule.name}:${tick.toISOString()}`;
      try {
        const id = await deps.send(schedule.job, schedule.payload, {
          singletonKey: key,
          idempotencyKey: key,
        });
        deps.log.debug(
          { schedule: schedule.name, tick: tick.toISOString(), jobId: id },
          id ? 'schedule fired' : 'schedule tick already enqueued',
        );
      } catch (error) {
        deps.log.error(
          { err: error, schedule: schedule.name, tick: tick.toISOString() },
          'schedule could not enqueue',
        );
      }
    });
  }

  return async function stopSchedules() {
    for (const cron of crons) cron.stop();
    await Promise.all(inFlight);
  };
}

function cronOptions(schedule: RuntimeSchedule): CronOptions {
  return schedule.timezone ? { timezone: schedule.timezone } : {};
}

const lookbacksMs = [60_000, 3_600_000, 86_400_000];

/**
 * The latest time matching the pattern at or before `firedAt`. croner fires at or just after the
 * scheduled time but only reports when it fired, which differs between processes by milliseconds;
 * the scheduled time is the same everywhere.
 */
export function scheduledTick(pattern: Cron, firedAt: Date): Date {
  for (const lookback of lookbacksMs) {
    let tick: Date | null = null;
    let next = pattern.nextRun(new Date(firedAt.getTime() - lookback));
    while (next && next.getTime() <= firedAt.getTime()) {
      tick = next;
      next = pattern.nextRun(next);
    }
    if (tick) return tick;
  }
  return new Date(Math.floor(firedAt.getTime() / 1000) * 1000);
}
