import { catalogEntry, type EventType } from '@event-backbone/catalog'
import { changelogTopicName, ensureTopics, partitionCounts } from '#libs/kafka'
import { changelogTopicSpec, jsonCodec, PartitionStore } from '#libs/state'
import type { ServiceDeps } from './consumer-service.ts'

/**
 * A consumer service's per-partition state store: its changelog `<group>.<name>.changelog` is
 * created partitioned like the input topic (so input partition p restores from changelog
 * partition p), compacted, and with `horizonMs` also deleted by time (`compact,delete`, retention
 * to match); restores are counted and logged, and the store closes with the service. An existing
 * changelog whose cleanup policy or retention differs from the spec is logged, not changed
 * (configs of existing topics are the operator's, as for every topic `ensureTopics` meets).
 */
export async function openServiceStore<V>(
  deps: Pick<ServiceDeps, 'kafka' | 'groupId' | 'logger' | 'metrics' | 'onStop'>,
  options: { readonly name: string; readonly input: EventType; readonly horizonMs?: number },
): Promise<PartitionStore<V>> {
  const { kafka, groupId, logger, metrics, onStop } = deps
  const changelogTopic = changelogTopicName(groupId, options.name)
  const horizon = options.horizonMs === undefined ? {} : { horizonMs: options.horizonMs }
  const admin = kafka.admin()
  await admin.connect()
  try {
    const { topic, partitions: declared } = catalogEntry(options.input)
    const partitions = (await partitionCounts(admin, [topic])).get(topic) ?? declared
    const report = await ensureTopics(admin, [changelogTopicSpec(changelogTopic, partitions, horizon)])
    for (const drift of report.configDrifts) {
      logger.warn(
        { topic: drift.topic, config: drift.config, wanted: drift.wanted, actual: drift.actual },
        'changelog config differs from what the store expects: alter it (kafka-configs --alter) to bound its size',
      )
    }
  } finally {
    await admin.disconnect()
  }
  const store = new PartitionStore<V>({
    kafka,
    groupId,
    changelogTopic,
    codec: jsonCodec(),
    ...(options.horizonMs === undefined ? {} : { horizon: { ms: options.horizonMs } }),
    onRestore: ({ partition, keys, records, expired, durationMs }) => {
      metrics.outcome('state_restored')
      logger.info({ store: options.name, partition, keys, records, expired, durationMs }, 'state restored')
    },
  })
  onStop(() => store.close())
  return store
}
