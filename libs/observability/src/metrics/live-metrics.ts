import { Gauge, type Registry } from 'prom-client'

/**
 * Gauges measured on a timer from Kafka's own state rather than from records flowing through a
 * consumer, so they stay true while nothing flows: group lag from committed and end offsets,
 * dead-letter depth and age, replay job progress. docs/metrics.md has the same table.
 */
export const liveMetricNames = {
  groupLag: 'eb_consumer_group_lag_records',
  groupLagMeasuredAt: 'eb_consumer_group_lag_measured_timestamp_seconds',
  deadLetterDepth: 'eb_dlq_depth_records',
  deadLetterOldestAge: 'eb_dlq_oldest_record_age_seconds',
  replayProgress: 'eb_replay_job_progress_ratio',
  replayRecords: 'eb_replay_job_records',
  replayStatus: 'eb_replay_job_status',
} as const

/** One partition's lag as the group sees it: end offset minus committed offset. */
export interface PartitionLagSample {
  readonly topic: string
  readonly partition: number
  readonly lag: number
}

export interface GroupLagGauges {
  /** Replaces the group's series: partitions it no longer reads disappear. */
  set(groupId: string, partitions: readonly PartitionLagSample[], at?: number): void
  /** A group that is gone (deleted, or never existed): no series, so no stale measurement time. */
  remove(groupId: string): void
  /** The groups that have series now. */
  groups(): string[]
}

export function groupLagGauges(registry: Registry): GroupLagGauges {
  const lag = new Gauge({
    name: liveMetricNames.groupLag,
    help: 'End offset minus committed offset per partition the group reads (retry tiers too), measured on a timer',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
  })
  const measuredAt = new Gauge({
    name: liveMetricNames.groupLagMeasuredAt,
    help: 'When the group lag was last measured (unix seconds)',
    labelNames: ['group'],
    registers: [registry],
  })
  const known = new Map<string, Set<string>>()
  return {
    set(groupId, partitions, at = Date.now()) {
      const now = new Set<string>()
      for (const entry of partitions) {
        const labels = { group: groupId, topic: entry.topic, partition: String(entry.partition) }
        lag.set(labels, entry.lag)
        now.add(JSON.stringify([entry.topic, entry.partition]))
      }
      for (const gone of known.get(groupId) ?? []) {
        if (now.has(gone)) continue
        const [topic, partition] = JSON.parse(gone) as [string, number]
        lag.remove({ group: groupId, topic, partition: String(partition) })
      }
      known.set(groupId, now)
      measuredAt.set({ group: groupId }, at / 1_000)
    },
    remove(groupId) {
      for (const gone of known.get(groupId) ?? []) {
        const [topic, partition] = JSON.parse(gone) as [string, number]
        lag.remove({ group: groupId, topic, partition: String(partition) })
      }
      known.delete(groupId)
      measuredAt.remove({ group: groupId })
    },
    groups: () => [...known.keys()],
  }
}

/** A dead-letter topic as a timer saw it. */
export interface DeadLetterSample {
  readonly topic: string
  /** High minus low watermark, summed over partitions (transaction markers included). */
  readonly depth: number
  /** Timestamp (epoch ms) of the oldest record still in the topic; undefined when it holds none. */
  readonly oldestAt: number | undefined
}

export interface DeadLetterGauges {
  /** Replaces every dead-letter topic's series: deleted topics disappear. */
  set(topics: readonly DeadLetterSample[]): void
}

export function deadLetterGauges(registry: Registry, now: () => number = Date.now): DeadLetterGauges {
  let latest: readonly DeadLetterSample[] = []
  new Gauge({
    name: liveMetricNames.deadLetterDepth,
    help: 'Records in the dead-letter topic (high minus low watermark, summed over partitions)',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      this.reset()
      for (const sample of latest) this.set({ topic: sample.topic }, sample.depth)
    },
  })
  new Gauge({
    name: liveMetricNames.deadLetterOldestAge,
    help: 'Age of the oldest record in the dead-letter topic (0 when empty), at scrape time',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      this.reset()
      const at = now()
      for (const sample of latest) {
        const age = sample.oldestAt === undefined ? 0 : Math.max(0, at - sample.oldestAt) / 1_000
        this.set({ topic: sample.topic }, age)
      }
    },
  })
  return {
    set(topics) {
      latest = [...topics]
    },
  }
}

/** A replay job's state, as its runner last committed it. */
export interface ReplaySample {
  readonly id: string
  /** The dead-letter topic it replays. */
  readonly topic: string
  readonly status: string
  /** Share of the job's dead-letter offsets done, 0 to 1. */
  readonly fraction: number
  readonly counts: Readonly<Record<'scanned' | 'replayed' | 'unmatched' | 'skipped', number>>
}

/** Collected at scrape time from `jobs()`, so a scrape always shows the latest committed chunk. */
export function replayGauges(registry: Registry, jobs: () => readonly ReplaySample[]): void {
  new Gauge({
    name: liveMetricNames.replayProgress,
    help: "Share of a replay job's dead-letter offsets done (0 to 1)",
    labelNames: ['job', 'topic'],
    registers: [registry],
    collect() {
      this.reset()
      for (const job of jobs()) this.set({ job: job.id, topic: job.topic }, job.fraction)
    },
  })
  new Gauge({
    name: liveMetricNames.replayRecords,
    help: 'Records of a replay job so far: scanned, replayed, unmatched, skipped',
    labelNames: ['job', 'topic', 'kind'],
    registers: [registry],
    collect() {
      this.reset()
      for (const job of jobs()) {
        for (const [kind, value] of Object.entries(job.counts)) {
          this.set({ job: job.id, topic: job.topic, kind }, value)
        }
      }
    },
  })
  new Gauge({
    name: liveMetricNames.replayStatus,
    help: "1 for a replay job's current status (created, running, paused, cancelled, done, failed)",
    labelNames: ['job', 'topic', 'status'],
    registers: [registry],
    collect() {
      this.reset()
      for (const job of jobs()) this.set({ job: job.id, topic: job.topic, status: job.status }, 1)
    },
  })
}
