import { catalogEntries } from '@event-backbone/catalog'
import type { TopicSpec } from '#libs/kafka'

/**
 * The domain topics of the catalog with their partitions and retention, for `ensureTopics`.
 * A retention of -1 keeps records forever (the ledger).
 */
export function catalogTopicSpecs(options: { readonly partitions?: number } = {}): TopicSpec[] {
  return catalogEntries().map(([, entry]) => ({
    topic: entry.topic,
    numPartitions: options.partitions ?? entry.partitions,
    configs: { 'retention.ms': String(entry.retentionMs) },
  }))
}
