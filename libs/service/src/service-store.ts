import { catalogEntry, type EventType } from '@event-backbone/catalog'
import { changelogTopicName, ensureTopics, partitionCounts } from '#libs/kafka'
import { changelogTopicSpec, jsonCodec, PartitionStore } from '#libs/state'
import type { ServiceDeps } from './consumer-service.ts'

/**
 * A consumer service's per-partition state store: its compacted changelog
 * `<group>.<name>.changelog` is created partitioned like the input topic (so input partition p
 * restores from changelog partition p), restores are counted and logged, and the store closes with
 * the service.
 */
export async function openServiceStore<V>(
  deps: Pick<ServiceDeps, 'kafka' | 'groupId' | 'logger' | 'metrics' | 'onStop'>,
  options: { readonly name: string; readonly input: EventType },
): Promise<PartitionStore<V>> {
  const { kafka, groupId, logger, metrics, onStop } = deps
  const changelogTopic = changelogTopicName(groupId, options.name)
  const admin = kafka.admin()
  await admin.connect()
  try {
    const { topic, partitions: declared } = catalogEntry(options.input)
    const partitions = (await partitionCounts(admin, [topic])).get(topic) ?? declared
    await ensureTopics(admin, [changelogTopicSpec(changelogTopic, partitions)])
  } finally {
    await admin.disconnect()
  }
  const store = new PartitionStore<V>({
    kafka,
    groupId,
    changelogTopic,
    codec: jsonCodec(),
    onRestore: ({ partition, keys, durationMs }) => {
      metrics.outcome('state_restored')
      logger.info({ store: options.name, partition, keys, durationMs }, 'state restored')
    },
  })
  onStop(() => store.close())
  return store
}
