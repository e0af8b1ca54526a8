import type { Admin, Kafka } from 'kafkajs'
import { DeadLetterDepthMeter } from '#libs/dlq'
import { consumerGroupIds } from '#libs/groups'
import {
  createMetricsRegistry,
  deadLetterGauges,
  groupLagGauges,
  type Logger,
  type ReplaySample,
  replayGauges,
} from '#libs/observability'
import { startLagMonitor } from '#libs/service'

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
}) {
  const registry = createMetricsRegistry()
  replayGauges(registry, options.replays)
  // 0 turns the measuring off (the replay gauges stay: they cost nothing until scraped).
  if (options.intervalMs === 0) return { registry, stop: async () => {} }
  const lag = startLagMonitor({
    kafka: options.kafka,
    groups: async (admin) =>
      (await consumerGroupIds(admin)).filter((groupId) => !internalGroup.test(groupId)),
    gauges: groupLagGauges(registry),
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
    stop: async () => {
      clearInterval(timer)
      await running
      await lag.stop()
    },
  }
}
