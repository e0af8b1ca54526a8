import { setTimeout as sleep } from 'node:timers/promises'
import type { IHeaders, KafkaMessage } from 'kafkajs'
import { ControlHeaderError } from '#libs/errors'
import { backoffDelay } from '../failure/backoff.ts'
import { classify, Verdict } from '../failure/classify.ts'
import { Stage } from '../headers/names.ts'
import { type RetryControl, readRetryControl } from '../headers/read.ts'
import { errorClass, failureHeaders, type Origin } from '../headers/write.ts'
import { publish } from '../instrumentation/channels.ts'
import type { EmitOptions, HandlerContext, RawValue, RecordContext } from '../types.ts'
import { Outbox } from './outbox.ts'
import { longestDelayMs, type Route } from './routes.ts'

export interface ProcessorEnv {
  readonly groupId: string
  heartbeat(): Promise<void>
  /** Aborted when the group stops: in-process back-off ends early and the record is left unresolved. */
  readonly signal: AbortSignal
}

export interface FetchedRecord {
  readonly route: Route
  readonly sourceTopic: string
  readonly partition: number
  readonly message: KafkaMessage
}

export type Outcome = { readonly kind: 'done' } | { readonly kind: 'wait'; readonly dueAt: number }
const done: Outcome = { kind: 'done' }
const emptyValue = Buffer.alloc(0)

/** Thrown when the group stops during an in-process back-off: the record stays unprocessed. */
export class StopRequested extends Error {
  override name = 'StopRequested'
}

interface Failure {
  readonly stage: (typeof Stage)[keyof typeof Stage]
  readonly error: unknown
  readonly verdict: (typeof Verdict)[keyof typeof Verdict]
}

function makeContext(record: RecordContext, attempt: number, outputs: Outbox, pending: Promise<void>[]) {
  const emit = <V = RawValue>(topic: string, key: RawValue, value: V, options: EmitOptions<V> = {}) => {
    const write = (bytes: RawValue) =>
      outputs.add(topic, {
        key,
        value: bytes,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.partition === undefined ? {} : { partition: options.partition }),
      })
    const encoder = options.encoder
    if (!encoder) {
      write(value as RawValue)
      return Promise.resolve()
    }
    const promise = Promise.resolve(encoder.encode(value, topic)).then(write)
    pending.push(promise)
    return promise
  }
  return { ...record, attempt, emit } satisfies HandlerContext
}

/**
 * Runs one record through the contract: control headers (retry topics only), decode, handler with
 * in-process retries, then the next retry topic or the dead-letter topic. Everything to produce
 * (handler outputs on success, the retry or dead-letter copy on failure) goes to `outbox`; the
 * caller produces it before committing the offset, or in the same transaction.
 */
export async function processRecord(
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
): Promise<Outcome> {
  const { route, message, partition, sourceTopic } = fetched
  const sub = route.subscription
  const self = { partition, offset: message.offset, timestamp: message.timestamp }
  const headers: IHeaders = message.headers ?? {}
  let control: RetryControl | undefined
  const now = Date.now()
  if (route.tier > 0) {
    try {
      control = readRetryControl(headers, self, { now, topic: sub.topic, maxDelayMs: longestDelayMs(sub) })
    } catch (error) {
      if (!(error instanceof ControlHeaderError)) throw error
      const origin = { topic: sub.topic, ...self }
      deadLetter(
        env,
        fetched,
        outbox,
        origin,
        { stage: Stage.deserialize, error, verdict: Verdict.deadLetter },
        0,
        now,
      )
      return done
    }
    if (control.dueAt !== undefined && control.dueAt > now) return { kind: 'wait', dueAt: control.dueAt }
  }
  const origin: Origin = control?.origin ?? { topic: sub.topic, ...self }
  const record: RecordContext = {
    topic: sub.topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key,
    headers,
    sourceTopic,
  }
  const prior = control?.attempts ?? 0
  let firstFailureAt = control?.firstFailureAt
  let decoded = false
  let value: unknown
  const retries = sub.policy.retry.attempts
  for (let attempt = 0; ; attempt++) {
    let failure: Failure
    if (!decoded) {
      try {
        value = await sub.decode.decode(message.value ?? emptyValue, record)
        decoded = true
      } catch (error) {
        failure = { stage: Stage.deserialize, error, verdict: classify(error) }
      }
    }
    if (decoded) {
      const outputs = new Outbox()
      const pending: Promise<void>[] = []
      const started = performance.now()
      try {
        await sub.handler(value, makeContext(record, prior + attempt + 1, outputs, pending))
        await Promise.all(pending)
        outbox.addAll(outputs)
        publishHandler(env, fetched, started, true)
        publish('consumed', () => ({ ...recordEvent(env, fetched), attempt: prior + attempt + 1 }))
        return done
      } catch (error) {
        await Promise.allSettled(pending)
        publishHandler(env, fetched, started, false)
        failure = { stage: Stage.handle, error, verdict: classify(error) }
      }
    }
    failure = failure!
    const failedAt = Date.now()
    firstFailureAt ??= failedAt
    const attempts = prior + attempt + 1
    if (failure.verdict === Verdict.retry && attempt < retries) {
      publish('retried', () => ({
        ...recordEvent(env, fetched),
        kind: 'in-process',
        tier: route.tier,
        errorClass: errorClass(failure.error),
      }))
      await backOff(env, backoffDelay(sub.policy.retry, attempt + 1))
      continue
    }
    const nextTier = route.tier + 1
    if (failure.verdict !== Verdict.deadLetter && nextTier <= sub.retryTopics.length) {
      const dueAt = failedAt + sub.policy.retryTopicsMs[nextTier - 1]!
      const retryTopic = sub.retryTopics[nextTier - 1]!
      outbox.add(retryTopic, {
        key: message.key,
        value: message.value,
        headers: failureHeaders(headers, {
          origin,
          groupId: env.groupId,
          stage: failure.stage,
          error: failure.error,
          attempts,
          firstFailureAt,
          lastFailureAt: failedAt,
          retry: { tier: nextTier, dueAt },
        }),
      })
      publish('retried', () => ({
        ...recordEvent(env, fetched),
        kind: 'topic',
        tier: nextTier,
        errorClass: errorClass(failure.error),
      }))
      return done
    }
    deadLetter(env, fetched, outbox, origin, failure, attempts, firstFailureAt, failedAt)
    return done
  }
}

/**
 * The record's outputs could not be produced and the producer gave up (kafkajs exhausted its own
 * retries or the broker refused the records): dead-letter the input with stage "produce".
 */
export function deadLetterAfterProduceFailure(
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
  error: unknown,
): void {
  const { message, partition, route } = fetched
  const now = Date.now()
  const origin = {
    topic: route.subscription.topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
  }
  deadLetter(
    env,
    fetched,
    outbox,
    origin,
    { stage: Stage.produce, error, verdict: Verdict.deadLetter },
    1,
    now,
  )
}

function deadLetter(
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
  origin: Origin,
  failure: Failure,
  attempts: number,
  firstFailureAt: number,
  lastFailureAt = firstFailureAt,
): void {
  const sub = fetched.route.subscription
  const event = () => ({
    ...recordEvent(env, fetched),
    stage: failure.stage,
    errorClass: errorClass(failure.error),
    deadLetterTopic: sub.deadLetterTopic,
  })
  if (!sub.policy.deadLetter) {
    publish('skipped', event)
    return
  }
  outbox.add(sub.deadLetterTopic, {
    key: fetched.message.key,
    value: fetched.message.value,
    headers: failureHeaders(fetched.message.headers, {
      origin,
      groupId: env.groupId,
      stage: failure.stage,
      error: failure.error,
      attempts,
      firstFailureAt,
      lastFailureAt,
    }),
  })
  publish('deadLettered', event)
}

async function backOff(env: ProcessorEnv, ms: number): Promise<void> {
  await env.heartbeat()
  try {
    await sleep(ms, undefined, { signal: env.signal })
  } catch {
    throw new StopRequested('the consumer group is stopping')
  }
  await env.heartbeat()
}

function recordEvent(env: ProcessorEnv, fetched: FetchedRecord) {
  return {
    groupId: env.groupId,
    topic: fetched.route.subscription.topic,
    sourceTopic: fetched.sourceTopic,
    partition: fetched.partition,
    offset: fetched.message.offset,
  }
}

function publishHandler(env: ProcessorEnv, fetched: FetchedRecord, started: number, ok: boolean): void {
  publish('handler', () => ({ ...recordEvent(env, fetched), durationMs: performance.now() - started, ok }))
}
