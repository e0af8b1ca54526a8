import { setTimeout as delay } from 'node:timers/promises'
import {
  BackboneError,
  RegistryStoreTimeoutError,
  RegistryStoreTopicError,
  RegistryStoreUnavailableError,
  RegistryWriterFencedError,
} from '@event-backbone/errors'
import { type Admin, type ConfigResourceTypes, Kafka, type KafkaConfig, logLevel } from 'kafkajs'
import { durabilityFor, idPrefix, TopicFamily } from '#libs/kafka'
import type { Outcome } from './commands.ts'
import { httpErrors, RegistryHttpError } from './errors.ts'
import { StoreReader } from './reader.ts'
import { encodeKey, encodeValue, type StoreRecord } from './records.ts'
import { RegistryState } from './state.ts'
import { StoreWriter } from './writer.ts'

export interface StoreOptions {
  readonly brokers: readonly string[]
  readonly topic: string
  /** Extra kafkajs settings (ssl, sasl…); brokers and clientId come from the options above. */
  readonly kafkaConfig?: Partial<KafkaConfig>
  readonly startTimeoutMs?: number
  readonly writeTimeoutMs?: number
  readonly writeAttempts?: number
  /**
   * Largest record (key + value bytes) a write may append; a larger one is refused with 42209
   * before anything is written. Below Kafka's default `max.message.bytes` (1,048,588), which
   * counts the batch overhead too.
   */
  readonly maxRecordBytes?: number
}

export const DEFAULT_MAX_RECORD_BYTES = 1_000_000

// kafkajs's ConfigResourceTypes.TOPIC; the enum is not a named ESM export of the CommonJS package.
const TOPIC_RESOURCE = 2 as ConfigResourceTypes

const FENCING_ERRORS = new Set(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'CONCURRENT_TRANSACTIONS'])

function isFencing(error: unknown): boolean {
  for (
    let cause = error;
    cause;
    cause = (cause as { cause?: unknown; originalError?: unknown }).originalError ?? (cause as Error).cause
  ) {
    const type = (cause as { type?: unknown }).type
    if (typeof type === 'string' && FENCING_ERRORS.has(type)) return true
    if (/fenced|epoch/i.test(String((cause as Error).message))) return true
  }
  return false
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** A record Kafka would refuse (MESSAGE_TOO_LARGE) is refused here, as CSR's 42209, without writing. */
function refuseOversized(records: readonly StoreRecord[], limit: number): void {
  for (const record of records) {
    const value = encodeValue(record)
    const size = Buffer.byteLength(encodeKey(record.key)) + (value === null ? 0 : Buffer.byteLength(value))
    if (size > limit) {
      throw httpErrors.schemaTooLarge(
        `the stored record would take ${size} bytes, over the limit of ${limit}`,
      )
    }
  }
}

/**
 * The registry's storage: a compacted one-partition topic, a reader that folds it into the state,
 * and the single transactional writer. Reads are served from `state`; writes go through `execute`.
 */
/** Kafka errors of a partition that is not served yet, which pass once leadership settles. */
const unservedTypes = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'NOT_LEADER_FOR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
])

export class SchemaStore {
  readonly state = new RegistryState()
  readonly topic: string
  readonly #admin: Admin
  readonly #reader: StoreReader
  readonly #writer: StoreWriter
  readonly #writeTimeoutMs: number
  readonly #writeAttempts: number
  readonly #maxRecordBytes: number
  #queue: Promise<unknown> = Promise.resolve()
  #ready = false

  private constructor(kafka: Kafka, admin: Admin, options: StoreOptions) {
    this.topic = options.topic
    this.#admin = admin
    this.#writeTimeoutMs = options.writeTimeoutMs ?? 15_000
    this.#writeAttempts = options.writeAttempts ?? 6
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES
    this.#reader = new StoreReader({ kafka, admin, topic: options.topic, state: this.state })
    this.#writer = new StoreWriter({
      kafka,
      topic: options.topic,
      transactionalId: `${idPrefix.registry}${options.topic}`,
    })
  }

  /** Connects, creates the topic if missing and reads it to its end; bounded by `startTimeoutMs`. */
  static async open(options: StoreOptions): Promise<SchemaStore> {
    const startTimeoutMs = options.startTimeoutMs ?? 30_000
    const kafka = new Kafka({
      clientId: `${idPrefix.registry}${options.topic}`,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 5 },
      ...options.kafkaConfig,
      brokers: [...options.brokers],
    })
    const admin = kafka.admin()
    const store = new SchemaStore(kafka, admin, options)
    try {
      await withTimeout(
        store.#start(startTimeoutMs),
        startTimeoutMs,
        () =>
          new RegistryStoreUnavailableError(
            `Kafka at ${options.brokers.join(',')} did not let the registry read ${options.topic} within ${startTimeoutMs} ms`,
            { context: { topic: options.topic } },
          ),
      )
    } catch (error) {
      await store.close()
      if (error instanceof BackboneError) throw error
      throw new RegistryStoreUnavailableError(
        `the registry could not open ${options.topic}: ${(error as Error).message}`,
        {
          cause: error,
          context: { topic: options.topic },
        },
      )
    }
    return store
  }

  async #start(timeoutMs: number): Promise<void> {
    await this.#admin.connect()
    const deadline = Date.now() + timeoutMs
    const brokers = (await this.#admin.describeCluster()).brokers.length
    const { replicationFactor, minInsyncReplicas } = durabilityFor(TopicFamily.registry, brokers)
    await this.#whileUnserved(deadline, () =>
      this.#admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: this.topic,
            numPartitions: 1,
            replicationFactor,
            configEntries: [
              { name: 'cleanup.policy', value: 'compact' },
              { name: 'min.insync.replicas', value: String(minInsyncReplicas) },
            ],
          },
        ],
      }),
    )
    await this.#whileUnserved(deadline, () => this.#admin.fetchTopicOffsets(this.topic))
    let metadata!: Awaited<ReturnType<Admin['fetchTopicMetadata']>>
    await this.#whileUnserved(deadline, async () => {
      metadata = await this.#admin.fetchTopicMetadata({ topics: [this.topic] })
    })
    const partitions = metadata.topics[0]?.partitions.length ?? 0
    if (partitions !== 1) {
      throw new RegistryStoreTopicError(
        `${this.topic} has ${partitions} partitions; the registry needs exactly 1`,
        {
          context: { topic: this.topic },
        },
      )
    }
    // With cleanup.policy=delete, retention would one day drop schemas that records still name.
    let described!: Awaited<ReturnType<Admin['describeConfigs']>>
    await this.#whileUnserved(deadline, async () => {
      described = await this.#admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: TOPIC_RESOURCE, name: this.topic, configNames: ['cleanup.policy'] }],
      })
    })
    const policy = described.resources[0]?.configEntries.find(
      (entry) => entry.configName === 'cleanup.policy',
    )
    if (policy && !policy.configValue.split(',').includes('compact')) {
      throw new RegistryStoreTopicError(
        `${this.topic} has cleanup.policy=${policy.configValue}; the registry needs compact`,
        { context: { topic: this.topic } },
      )
    }
    await this.#reader.start()
    await this.#whileUnserved(deadline, () => this.#reader.catchUp(Math.max(1, deadline - Date.now())))
    this.#ready = true
  }

  /**
   * A topic created a moment ago can still be unknown to the broker that answers ("This server
   * does not host this topic-partition", kafkajs gives up on it while waiting for leaders), or its
   * leadership still moving ("This server is not the leader for that topic-partition") on a loaded
   * broker: repeat the step until it is served or the start deadline passes.
   */
  async #whileUnserved(deadline: number, step: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await step()
        return
      } catch (error) {
        let unknown = false
        for (let cause: unknown = error; cause && !unknown; cause = (cause as Error).cause) {
          unknown = unservedTypes.has(String((cause as { type?: unknown }).type))
        }
        if (!unknown || Date.now() > deadline) throw error
        await delay(Math.min(1_000, 50 * 2 ** attempt))
      }
    }
  }

  /** Caught up once at start and the reader still follows the topic. */
  get ready(): boolean {
    return this.#ready && this.#reader.healthy
  }

  /**
   * Runs a write command under the single writer: writes are serialised in this process, the
   * writer is (re)initialised, the reader caught up, the command computed on the latest state,
   * committed, and answered only once the reader has applied it. A fenced or failed attempt is
   * retried from the start (re-initialise, catch up, recompute), so two instances never hand out
   * one id twice: the commit of a stale computation fails with the fencing error.
   */
  execute<T>(command: (state: RegistryState) => Outcome<T>): Promise<T> {
    // Re-registering a known schema needs no write: the local state is a committed prefix of the
    // log, so its answer stays true. Answering here keeps idempotent calls from taking the writer
    // away from another instance. Anything else (a write, or an error that newer records might
    // change) goes through the writer on the latest state.
    try {
      const local = command(this.state)
      if (local.records.length === 0) return Promise.resolve(local.result)
    } catch {}
    const queuedAt = Date.now()
    const run = this.#queue.then(() => this.#attempts(command, queuedAt + this.#writeTimeoutMs))
    this.#queue = run.catch(() => {})
    // The caller gets an answer within the bound even when Kafka stalls; the queue still waits
    // for the stalled attempt, so writes never overlap.
    return withTimeout(
      run,
      this.#writeTimeoutMs + 1_000,
      () =>
        new RegistryStoreTimeoutError(
          `the write to ${this.topic} did not finish within ${this.#writeTimeoutMs} ms`,
        ),
    )
  }

  async #attempts<T>(command: (state: RegistryState) => Outcome<T>, deadline: number): Promise<T> {
    let lastError: unknown = new RegistryStoreTimeoutError(
      `the write to ${this.topic} waited too long in the queue`,
    )
    for (let attempt = 1; attempt <= this.#writeAttempts && Date.now() < deadline; attempt++) {
      let committed = false
      try {
        const transaction = await this.#writer.begin()
        let outcome: Outcome<T>
        try {
          await this.#reader.catchUp(Math.max(1, deadline - Date.now()))
          outcome = command(this.state)
          refuseOversized(outcome.records, this.#maxRecordBytes)
        } catch (error) {
          await this.#writer.discard(transaction)
          throw error
        }
        if (outcome.records.length === 0) {
          await this.#writer.discard(transaction)
          return outcome.result
        }
        const lastOffset = await this.#writer.commit(transaction, outcome.records)
        committed = true
        await this.#reader.waitForPosition(lastOffset + 1, Math.max(1_000, deadline - Date.now()))
        return outcome.result
      } catch (error) {
        if (error instanceof RegistryHttpError || committed || error instanceof RegistryStoreTimeoutError)
          throw error
        lastError = error
        if (attempt < this.#writeAttempts) await delay(Math.random() * 100 * 2 ** Math.min(attempt, 4))
      }
    }
    if (isFencing(lastError)) {
      throw new RegistryWriterFencedError(undefined, { cause: lastError, context: { topic: this.topic } })
    }
    if (lastError instanceof BackboneError) throw lastError
    throw new RegistryStoreUnavailableError(
      `writing to ${this.topic} failed: ${(lastError as Error)?.message}`,
      {
        cause: lastError,
        context: { topic: this.topic },
      },
    )
  }

  async close(): Promise<void> {
    this.#ready = false
    await this.#queue.catch(() => {})
    await this.#reader.stop()
    await this.#writer.reset()
    await this.#admin.disconnect().catch(() => {})
  }
}
