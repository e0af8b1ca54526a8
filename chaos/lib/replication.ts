import { setTimeout as delay } from 'node:timers/promises'
import type { Admin } from 'kafkajs'

/** The node that leads the most partitions of `topics` (ties: the lowest id) and the counts. */
export async function busiestLeader(
  admin: Admin,
  topics: readonly string[],
): Promise<{ nodeId: number; led: Record<number, number> }> {
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] })
  const led: Record<number, number> = {}
  for (const topic of metadata) {
    for (const partition of topic.partitions) led[partition.leader] = (led[partition.leader] ?? 0) + 1
  }
  const [nodeId] = Object.entries(led).sort(([a, x], [b, y]) => y - x || Number(a) - Number(b))[0]!
  return { nodeId: Number(nodeId), led }
}

/**
 * Partitions whose in-sync replicas are fewer than their replicas, over every topic including
 * `__consumer_offsets` and `__transaction_state` (what the exactly-once path depends on), plus
 * partitions without a leader.
 */
export async function underReplicated(admin: Admin): Promise<number> {
  const names = await admin.listTopics()
  const { topics } = await admin.fetchTopicMetadata({ topics: names })
  let count = 0
  for (const topic of topics) {
    for (const partition of topic.partitions) {
      if (partition.leader < 0 || partition.isr.length < partition.replicas.length) count += 1
    }
  }
  return count
}

/** Waits until no partition is under-replicated; resolves with how long that took (ms). */
export async function waitFullyReplicated(admin: Admin, boundMs: number): Promise<number> {
  const started = Date.now()
  for (;;) {
    const lagging = await underReplicated(admin).catch(() => Number.POSITIVE_INFINITY)
    if (lagging === 0) return Date.now() - started
    if (Date.now() - started > boundMs) {
      throw new Error(`${lagging} partitions still under-replicated after ${Math.round(boundMs / 1000)} s`)
    }
    await delay(500)
  }
}
