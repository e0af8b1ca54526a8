import type { EachBatchPayload, Producer } from 'kafkajs'
import { publish } from '../instrumentation/channels.ts'
import { lagAfter, nextOffset } from './offsets.ts'
import type { Outbox } from './outbox.ts'
import type { PartitionLifecycle } from './partition-lifecycle.ts'
import type { Pauser } from './pauser.ts'
import { deadLetterAfterProduceFailure, type FetchedRecord, type ProcessorEnv } from './process-record.ts'

export interface AtLeastOnceDeps {
  readonly groupId: string
  /** Idempotent, acks=all: outputs, retry and dead-letter copies are acknowledged before the commit. */
  readonly producer: Producer
  readonly pauser: Pauser
  readonly signal: AbortSignal
  /** Within a long batch, resolved offsets are committed at least this often. */
  readonly commitIntervalMs: number
  readonly lifecycle?: PartitionLifecycle
}

/**
 * Commits the offset after `last` (every record up to it is done): resolves it (the fetch position
 * follows it; resolving here, not per record, is enough) and commits it.
 */
export async function commitThrough(
  deps: AtLeastOnceDeps,
  payload: EachBatchPayload,
  last: string,
  records: number,
): Promise<void> {
  const { batch } = payload
  const offset = nextOffset(batch, last)
  payload.resolveOffset(last)
  await payload.commitOffsetsIfNecessary({
    topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
  })
  publish('committed', () => ({
    groupId: deps.groupId,
    topic: batch.topic,
    partition: batch.partition,
    offset,
    records,
    transactional: false,
  }))
  publish('batch', () => ({
    groupId: deps.groupId,
    topic: batch.topic,
    partition: batch.partition,
    highWatermark: batch.highWatermark,
    lag: lagAfter(batch, offset),
  }))
}

/**
 * Broker answers that mean these records can never be written as they are (or not without an
 * operator): the input is dead-lettered at the produce stage. Anything else (brokers down, leaders
 * moving, not enough replicas) crashes the batch instead, so kafkajs restarts the consumer and
 * nothing is committed past the record.
 */
const permanentProduceErrors = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'INVALID_REQUIRED_ACKS',
])

export function isPermanentProduceError(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    const type = (current as { type?: unknown }).type
    if (typeof type === 'string' && permanentProduceErrors.has(type)) return true
    current = (current as { cause?: unknown }).cause
  }
  // kafkajs refuses some records before sending them (e.g. a bad partition) with a plain non-retriable error.
  const top = error as { name?: unknown; retriable?: unknown }
  return top.name === 'KafkaJSNonRetriableError' && top.retriable === false
}

export async function produce(
  deps: AtLeastOnceDeps,
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
) {
  try {
    await deps.producer.sendBatch({ topicMessages: outbox.drain(), acks: -1 })
  } catch (error) {
    if (!isPermanentProduceError(error)) throw error
    deadLetterAfterProduceFailure(env, fetched, outbox, error)
    await deps.producer.sendBatch({ topicMessages: outbox.drain(), acks: -1 })
  }
}
