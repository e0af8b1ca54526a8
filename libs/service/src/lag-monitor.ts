import { GroupNotFoundError } from '@event-backbone/errors'
import type { Admin, Kafka } from 'kafkajs'
import { describeGroup, type EndOffsets } from '#libs/groups'
import { forEachConcurrently } from '#libs/kafka'
import type { GroupLagGauges, Logger } from '#libs/observability'

/** Groups measured at once on each tick. */
const groupConcurrency = 4

export interface LagMonitor {
  /** Measures once now (tests, and the first tick). */
  measure(): Promise<void>
  stop(): Promise<void>
}

/**
 * Measures groups' lag from their committed offsets and the partitions' end offsets every
 * `intervalMs`, the way `backbone groups describe` does. The consumer runtime's per-batch gauge only
 * moves when a batch arrives, so it stays at its last value on an idle partition and says nothing
 * for a group whose members are gone; this one stays true in both cases.
 */
export function startLagMonitor(options: {
  readonly kafka: Kafka
  /** The groups to measure, asked on every tick (a console measures every group of the cluster). */
  readonly groups: (admin: Admin) => readonly string[] | Promise<readonly string[]>
  readonly gauges: GroupLagGauges
  readonly intervalMs: number
  readonly logger: Logger
}): LagMonitor {
  const admin = options.kafka.admin()
  let connected: Promise<void> | undefined
  let running: Promise<void> | undefined
  let failing = false
  let partlyFailing = ''
  const once = async () => {
    connected ??= admin.connect().catch((error: unknown) => {
      connected = undefined // the next tick connects again
      throw error
    })
    await connected
    const groups = await options.groups(admin)
    // Groups deleted since the last tick lose their series, or their lag would look stuck forever.
    for (const gone of options.gauges.groups()) if (!groups.includes(gone)) options.gauges.remove(gone)
    const ends: EndOffsets = new Map()
    const failed: Array<{ groupId: string; error: unknown }> = []
    const measureGroup = async (groupId: string) => {
      try {
        options.gauges.set(groupId, (await describeGroup(admin, groupId, ends)).partitions)
      } catch (error) {
        // A group with nothing committed yet and no members does not exist for Kafka: no series.
        if (error instanceof GroupNotFoundError) options.gauges.remove(groupId)
        // One group that cannot be measured (its coordinator moving, a topic deleted under it)
        // keeps its last values and their timestamp; the others are still measured.
        else failed.push({ groupId, error })
      }
    }
    // A few groups at a time: a console measures every group of the cluster each tick, and one
    // after another that took a request round trip per group and per committed topic.
    await forEachConcurrently(groups, groupConcurrency, measureGroup)
    if (failed.length > 0 && failed.length === groups.length) throw failed[0]?.error
    // Logged when the set of failing groups changes, not on every tick.
    const failedIds = failed.map((entry) => entry.groupId).sort()
    if (failed.length > 0 && failedIds.join('\n') !== partlyFailing) {
      options.logger.warn(
        { groups: failedIds, err: failed[0]?.error },
        'measuring the lag of some groups failed; their gauges keep the last values',
      )
    }
    partlyFailing = failedIds.join('\n')
  }
  const measure = () => {
    running ??= once()
      .then(
        () => {
          if (failing) options.logger.info('lag measured again')
          failing = false
        },
        (error: unknown) => {
          // Logged once per outage, not once per tick; the gauges keep their last values and
          // eb_consumer_group_lag_measured_timestamp_seconds shows how old they are.
          if (!failing) options.logger.warn({ err: error }, 'measuring consumer lag failed; retrying')
          failing = true
        },
      )
      .finally(() => {
        running = undefined
      })
    return running
  }
  // 0 turns the timer off: only `measure()` measures.
  const timer = options.intervalMs > 0 ? setInterval(() => void measure(), options.intervalMs) : undefined
  timer?.unref()
  if (timer) void measure()
  return {
    measure,
    stop: async () => {
      clearInterval(timer)
      await running
      if (connected) await connected.then(() => admin.disconnect()).catch(() => {})
    },
  }
}
