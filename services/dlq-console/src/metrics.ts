import type { Admin, Kafka } from 'kafkajs'
import { DeadLetterDepthMeter } from '#libs/dlq'
import { consumerGroupIds } from '#libs/groups'
import {
  createMetricsRegistry,
  deadLetterGauges,
  type GroupLagGauges,
  groupLagGauges,
  type Logger,
  type ReplaySample,
  replayGauges,
} from '#libs/observability'
import { startLagMonitor } from '#libs/service'
import { History, historyCapacity } from './history.ts'

export interface LagPoint {
  readonly topic: string
  readonly partition: number
  readonly lag: number
}

export interface DepthPoint {
  readonly depth: number
  /** Age of the oldest record when measured (ms); null when the topic was empty. */
  readonly oldestAgeMs: number | null
}

/** What the console's timer measured lately, for the page's charts. */
export interface ConsoleHistory {
  readonly intervalMs: number
  readonly windowMs: number
  readonly lag: History<readonly LagPoint[]>
  readonly deadLetters: History<DepthPoint>
}

/** The gauges, plus a sample in the history per measured group: one timer feeds both. */
function recordingLagGauges(gauges: GroupLagGauges, history: ConsoleHistory['lag']): GroupLagGauges {
  return {
    set(groupId, partitions, at = Date.now()) {
      gauges.set(groupId, partitions, at)
      history.add(
        groupId,
        at,
        partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition, lag: entry.lag })),
      )
    },
    remove(groupId) {
      gauges.remove(groupId)
      history.delete(groupId)
    },
    groups: () => gauges.groups(),
  }
}

/** The backbone's own throw-away groups (dead-letter scans, replays) are not worth a series. */
const internalGroup = /^_backbone-/

/**
 * The console is the backbone's cluster-wide exporter: every consumer group's lag (so a group
 * whose service is down still shows its lag growing), every dead-letter topic's depth and oldest
 * record, and the replay jobs it runs. Group lag and dead-letter topics are measured every
 * `intervalMs` (0: not at all); the replay gauges are read at scrape time.
 */
export function startConsoleMetrics(options: {
  readonly kafka: Kafka
  readonly admin: Admin
  readonly intervalMs: number
  readonly logger: Logger
  readonly replays: () => readonly ReplaySample[]
  /** How far back the charts reach. Default one hour. */
  readonly historyWindowMs?: number
}) {
  const registry = createMetricsRegistry()
  replayGauges(registry, options.replays)
  const windowMs = options.historyWindowMs ?? 3_600_000
  const capacity = historyCapacity(windowMs, options.intervalMs)
  const history: ConsoleHistory = {
    intervalMs: options.intervalMs,
    windowMs,
    lag: new History(capacity),
    deadLetters: new History(capacity),
  }
  // 0 turns the measuring off (the replay gauges stay: they cost nothing until scraped).
  if (options.intervalMs === 0) return { registry, history, stop: async () => {} }
  const lag = startLagMonitor({
    kafka: options.kafka,
    groups: async (admin) =>
      (await consumerGroupIds(admin)).filter((groupId) => !internalGroup.test(groupId)),
    gauges: recordingLagGauges(groupLagGauges(registry), history.lag),
    intervalMs: options.intervalMs,
    logger: options.logger,
  })
  const deadLetters = deadLetterGauges(registry)
  const meter = new DeadLetterDepthMeter(options.kafka)
  let running: Promise<void> | undefined
  let failing = false
  const measureDeadLetters = () => {
    running ??= meter
      .measure(options.admin)
      .then(
        (topics) => {
          deadLetters.set(topics)
          const at = Date.now()
          history.deadLetters.retain(topics.map((entry) => entry.topic))
          for (const entry of topics) {
            history.deadLetters.add(entry.topic, at, {
              depth: entry.depth,
              oldestAgeMs: entry.oldestAt === undefined || entry.depth === 0 ? null : at - entry.oldestAt,
            })
          }
          failing = false
        },
        (error: unknown) => {
          if (!failing) options.logger.warn({ err: error }, 'measuring dead-letter topics failed; retrying')
          failing = true
        },
      )
      .finally(() => {
        running = undefined
      })
    return running
  }
  const timer = setInterval(() => void measureDeadLetters(), options.intervalMs)
  timer.unref()
  void measureDeadLetters()
  return {
    registry,
    history,
    stop: async () => {
      clearInterval(timer)
      await running
      await lag.stop()
    },
  }
}
