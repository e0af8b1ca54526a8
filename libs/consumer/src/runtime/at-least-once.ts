import type { EachBatchPayload, Producer } from 'kafkajs'
import { publish } from '../instrumentation/channels.ts'
import { lagAfter, nextOffset } from './offsets.ts'
import { Outbox } from './outbox.ts'
import type { Pauser } from './pauser.ts'
import {
  deadLetterAfterProduceFailure,
  type FetchedRecord,
  type ProcessorEnv,
  processRecord,
  StopRequested,
} from './process-record.ts'
import type { Route } from './routes.ts'

export interface AtLeastOnceDeps {
  readonly groupId: string
  /** Idempotent, acks=all: outputs, retry and dead-letter copies are acknowledged before the commit. */
  readonly producer: Producer
  readonly pauser: Pauser
  readonly signal: AbortSignal
  /** Within a long batch, resolved offsets are committed at least this often. */
  readonly commitIntervalMs: number
}

/**
 * At-least-once: records of a partition are processed in order; a record's outputs and its retry or
 * dead-letter copy are acknowledged by the broker before its offset is resolved, and the resolved
 * offset is committed at the end of the batch (and before a stop or rebalance ends the batch).
 */
export async function runAtLeastOnceBatch(deps: AtLeastOnceDeps, route: Route, payload: EachBatchPayload) {
  const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload
  const env: ProcessorEnv = { groupId: deps.groupId, heartbeat, signal: deps.signal }
  const outbox = new Outbox()
  let last: string | undefined
  let records = 0
  let lastCommit = Date.now()
  let lastBeat = lastCommit
  try {
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || deps.signal.aborted) break
      const fetched = { route, sourceTopic: batch.topic, partition: batch.partition, message }
      let outcome = processRecord(env, fetched, outbox)
      if (outcome instanceof Promise) outcome = await outcome
      if (outcome.kind === 'wait') {
        deps.pauser.pauseUntil(batch.topic, batch.partition, outcome.dueAt)
        break
      }
      if (outbox.size > 0) await produce(deps, env, fetched, outbox)
      last = message.offset
      records++
      // kafkajs only heartbeats when asked; asking per record costs a promise, so ask every 200 ms.
      const now = Date.now()
      if (now - lastBeat >= 200) {
        lastBeat = now
        await heartbeat()
      }
      if (now - lastCommit >= deps.commitIntervalMs) {
        await commit()
        lastCommit = Date.now()
      }
    }
  } catch (error) {
    if (!(error instanceof StopRequested)) {
      await commit()
      throw error
    }
  }
  await commit()

  async function commit() {
    if (last === undefined) return
    const offset = nextOffset(batch, last)
    // The fetch position follows the resolved offset; resolving here (not per record) is enough.
    resolveOffset(last)
    last = undefined
    await commitOffsetsIfNecessary({
      topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
    })
    const count = records
    records = 0
    publish('committed', () => ({
      groupId: deps.groupId,
      topic: batch.topic,
      partition: batch.partition,
      offset,
      records: count,
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

async function produce(deps: AtLeastOnceDeps, env: ProcessorEnv, fetched: FetchedRecord, outbox: Outbox) {
  try {
    await deps.producer.sendBatch({ topicMessages: outbox.drain(), acks: -1 })
  } catch (error) {
    if (!isPermanentProduceError(error)) throw error
    deadLetterAfterProduceFailure(env, fetched, outbox, error)
    await deps.producer.sendBatch({ topicMessages: outbox.drain(), acks: -1 })
  }
}
