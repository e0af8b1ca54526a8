import type { Admin, ConfigResourceTypes, Kafka, Message } from 'kafkajs'
import { Partitioners } from 'kafkajs'

/**
 * The target's partitions and its record-batch limit (`max.message.bytes`, the broker's
 * `message.max.bytes` unless the topic overrides it). Replayed records get their partition here,
 * with kafkajs's own default partitioner, so each transaction can keep every partition's batch
 * under the limit: with n partitions a transaction holds up to n batches.
 */
export async function targetLayout(kafka: Kafka, topic: string) {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
    const partitionMetadata = metadata.topics[0]?.partitions ?? []
    const limit = await maxMessageBytes(admin, topic)
    const partitioner = Partitioners.DefaultPartitioner()
    return {
      // The record batch's own header is 61 bytes; the records' sizes are upper bounds already.
      maxBatchBytes: Math.max(1, limit - batchMarginBytes),
      partitionOf: (message: Message): number =>
        partitionMetadata.length === 0 ? 0 : partitioner({ topic, partitionMetadata, message }),
    }
  } finally {
    await admin.disconnect()
  }
}

/**
 * The topic's `max.message.bytes`. A principal without DESCRIBE_CONFIGS on the topic (the console's
 * least-privilege ACLs grant WRITE on retry topics only) cannot read it: then the broker's default,
 * which is the limit of every topic that does not override it.
 */
async function maxMessageBytes(admin: Admin, topic: string): Promise<number> {
  try {
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: topicResource, name: topic, configNames: ['max.message.bytes'] }],
    })
    const configured = Number(
      configs.resources[0]?.configEntries.find((entry) => entry.configName === 'max.message.bytes')
        ?.configValue,
    )
    return Number.isSafeInteger(configured) && configured > 0 ? configured : defaultMaxMessageBytes
  } catch {
    return defaultMaxMessageBytes
  }
}
const defaultMaxMessageBytes = 1_048_588
// kafkajs's ConfigResourceTypes.TOPIC; the enum is not a named ESM export of the CommonJS package.
const topicResource = 2 as ConfigResourceTypes
const batchMarginBytes = 1024
