import { catalogEntries } from '@event-backbone/catalog'
import type { TopicSpec } from '#libs/kafka'

/**
 * The domain topics of the catalog with their partitions and retention, for `ensureTopics`.
 * A retention of -1 keeps records forever (the ledger).
 */
export function catalogTopicSpecs(options: { readonly partitions?: number } = {}): TopicSpec[] {
  // One spec per topic: the event types of a multi-type topic agree on partitions and retention
  // (the catalog unit tests check it).
  const byTopic = new Map<string, TopicSpec>()
  for (const [, entry] of catalogEntries()) {
    if (byTopic.has(entry.topic)) continue
    byTopic.set(entry.topic, {
      topic: entry.topic,
      numPartitions: options.partitions ?? entry.partitions,
      configs: { 'retention.ms': String(entry.retentionMs) },
    })
  }
  return [...byTopic.values()]
}
