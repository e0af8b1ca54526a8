import type { PartitionRange } from '../read/scan.ts'
import type { Selection } from '../select/selection.ts'
import type { ReplayTarget } from './headers.ts'

export const JobStatus = {
  created: 'created',
  running: 'running',
  paused: 'paused',
  cancelled: 'cancelled',
  done: 'done',
  failed: 'failed',
} as const
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus]

export const finalStatuses: readonly JobStatus[] = [JobStatus.cancelled, JobStatus.done]

/** What a job replays, fixed when it is created. */
export interface ReplayJobSpec {
  readonly id: string
  readonly topic: string
  readonly group: string
  readonly sourceTopic: string
  readonly target: ReplayTarget
  readonly targetTopic: string
  readonly selection: Selection
  /** The dead-letter offsets the job covers: the topic's end at creation bounds it, so records
   * dead-lettered later (including this job's own replays failing again) are never part of it. */
  readonly ranges: readonly PartitionRange[]
  readonly ratePerSecond: number | undefined
  readonly createdBy: string
  readonly createdAt: number
}

export interface ReplayCounts {
  /** Dead-letter records read in the job's ranges. */
  readonly scanned: number
  /** Written to the target. */
  readonly replayed: number
  /** Read but not selected. */
  readonly unmatched: number
  /** Selected but already replayed by this job (they came back to the dead-letter topic). */
  readonly skipped: number
}

/** The job record in the jobs topic (key: job id): spec plus progress. */
export interface ReplayJobState {
  readonly spec: ReplayJobSpec
  readonly status: JobStatus
  /** Per partition (as text), the next dead-letter offset to replay. */
  readonly progress: Readonly<Record<string, string>>
  readonly counts: ReplayCounts
  readonly updatedAt: number
  readonly error?: string
}

export const zeroCounts: ReplayCounts = { scanned: 0, replayed: 0, unmatched: 0, skipped: 0 }

export function initialState(spec: ReplayJobSpec): ReplayJobState {
  const progress: Record<string, string> = {}
  for (const range of spec.ranges) progress[String(range.partition)] = range.from
  return { spec, status: JobStatus.created, progress, counts: zeroCounts, updatedAt: spec.createdAt }
}

/** Selected records the job covers in total is unknown until read; this is the share of offsets done. */
export function fractionDone(state: ReplayJobState): number {
  let total = 0n
  let done = 0n
  for (const range of state.spec.ranges) {
    const from = BigInt(range.from)
    const to = BigInt(range.to)
    const at = BigInt(state.progress[String(range.partition)] ?? range.from)
    total += to - from
    done += (at > to ? to : at) - from
  }
  return total === 0n ? 1 : Number(done) / Number(total)
}
