import { setTimeout as sleep } from 'node:timers/promises'
import { ControlHeaderError, RecordTooOldError } from '@event-backbone/errors'
import type { IHeaders, KafkaMessage } from 'kafkajs'
import { activeTracer } from '#libs/kafka'
import { retryDelay } from '../failure/backoff.ts'
import { classify, Verdict } from '../failure/classify.ts'
import { Stage } from '../headers/names.ts'
import { type RetryControl, readRetryControl } from '../headers/read.ts'
import { errorClass, failureHeaders, type Origin } from '../headers/write.ts'
import { hasSubscribers, publish } from '../instrumentation/channels.ts'
import { Context, isThenable, recordContext } from './handler-context.ts'
import type { Outbox } from './outbox.ts'
import { deadLetterEvent, deferredEvent, inProcessSpan, retryEvent } from './process-span.ts'
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

interface FirstFailure {
  readonly stage: (typeof Stage)[keyof typeof Stage]
  readonly error: unknown
  readonly value?: unknown
}

/**
 * Runs one record through the contract. The common case (a domain-topic record that decodes and
 * whose handler succeeds the first time) runs without an await of its own when decoder and handler
 * are synchronous; anything else continues in `processWithRetries`. Everything to produce (handler
 * outputs on success, the retry or dead-letter copy on failure) goes to `outbox`; the caller
 * produces it before committing the offset, or in the same transaction.
 */
export function processRecord(
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
): Outcome | Promise<Outcome> {
  const tracer = activeTracer()
  if (!tracer) return processUntraced(env, fetched, outbox)
  return inProcessSpan(tracer, { ...fetched, groupId: env.groupId }, () =>
    processUntraced(env, fetched, outbox),
  )
}

function processUntraced(
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
): Outcome | Promise<Outcome> {
  if (fetched.route.tier > 0) return processWithRetries(env, fetched, outbox, undefined)
  const maxAgeMs = fetched.route.subscription.policy.maxRecordAgeMs
  if (maxAgeMs > 0 && expire(env, fetched, outbox, maxAgeMs)) return done
  // One object serves as the decoder's record context and, on success, the handler's context.
  const ctx = Context.first(fetched)
  let value: unknown
  try {
    value = fetched.route.subscription.decode.decode(fetched.message.value ?? emptyValue, ctx)
  } catch (error) {
    return processWithRetries(env, fetched, outbox, { stage: Stage.deserialize, error })
  }
  if (isThenable(value)) {
    return Promise.resolve(value).then(
      (decoded) => handleFirst(env, fetched, outbox, ctx, decoded),
      (error: unknown) => processWithRetries(env, fetched, outbox, { stage: Stage.deserialize, error }),
    )
  }
  return handleFirst(env, fetched, outbox, ctx, value)
}

function handleFirst(
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
  ctx: Context,
  value: unknown,
): Outcome | Promise<Outcome> {
  const started = hasSubscribers('handler') ? performance.now() : 0
  let result: unknown
  try {
    result = fetched.route.subscription.handler(value, ctx)
  } catch (error) {
    return firstFailed(env, fetched, outbox, started, value, error)
  }
  if (!isThenable(result) && !ctx.pending) return firstSucceeded(env, fetched, outbox, ctx, started)
  return Promise.resolve(result)
    .then(() => (ctx.pending ? Promise.all(ctx.pending) : undefined))
    .then(
      () => firstSucceeded(env, fetched, outbox, ctx, started),
      (error: unknown) => firstFailed(env, fetched, outbox, started, value, error),
    )
}

function firstSucceeded(
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
  ctx: Context,
  started: number,
): Outcome {
  if (ctx.outputs) outbox.addAll(ctx.outputs)
  if (started) publishHandler(env, fetched, started, true)
  if (hasSubscribers('consumed')) publish('consumed', () => ({ ...recordEvent(env, fetched), attempt: 1 }))
  return done
}

function firstFailed(
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
  started: number,
  value: unknown,
  error: unknown,
): Promise<Outcome> {
  if (started) publishHandler(env, fetched, started, false)
  return processWithRetries(env, fetched, outbox, { stage: Stage.handle, error, value })
}

/** The full path: control headers, decode, handler, in-process retries, retry topic or dead-letter. */
async function processWithRetries(
  env: ProcessorEnv,
  fetched: FetchedRecord,
  outbox: Outbox,
  first: FirstFailure | undefined,
): Promise<Outcome> {
  const { route, message, partition } = fetched
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
      // The headers cannot be trusted, so the only honest coordinates are the retry record's own.
      const origin = { topic: fetched.sourceTopic, ...self }
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
    if (control.dueAt !== undefined && control.dueAt > now) {
      deferredEvent(control.dueAt)
      return { kind: 'wait', dueAt: control.dueAt }
    }
  }
  const origin: Origin = control?.origin ?? { topic: sub.topic, ...self }
  const record = recordContext(fetched)
  const prior = control?.attempts ?? 0
  let firstFailureAt = control?.firstFailureAt
  let decoded = first !== undefined && first.stage === Stage.handle
  let value: unknown = first?.value
  const retries = sub.policy.retry.attempts
  for (let attempt = 0; ; attempt++) {
    let failure: Failure | undefined
    if (attempt === 0 && first) {
      failure = { stage: first.stage, error: first.error, verdict: classify(first.error) }
    } else if (!decoded) {
      try {
        value = await sub.decode.decode(message.value ?? emptyValue, record)
        decoded = true
      } catch (error) {
        failure = { stage: Stage.deserialize, error, verdict: classify(error) }
      }
    }
    if (decoded && !failure) {
      const ctx = new Context(record, prior + attempt + 1)
      const started = performance.now()
      try {
        await sub.handler(value, ctx)
        if (ctx.pending) await Promise.all(ctx.pending)
        if (ctx.outputs) outbox.addAll(ctx.outputs)
        publishHandler(env, fetched, started, true)
        publish('consumed', () => ({ ...recordEvent(env, fetched), attempt: prior + attempt + 1 }))
        return done
      } catch (error) {
        if (ctx.pending) await Promise.allSettled(ctx.pending)
        publishHandler(env, fetched, started, false)
        failure = { stage: Stage.handle, error, verdict: classify(error) }
      }
    }
    if (!failure) throw new Error('unreachable: an attempt neither succeeded nor failed')
    const failedAt = Date.now()
    firstFailureAt ??= failedAt
    const attempts = prior + attempt + 1
    if (failure.verdict === Verdict.retry && attempt < retries) {
      retryEvent('in-process', { attempt: attempts, tier: route.tier, error: failure.error })
      publish('retried', () => ({
        ...recordEvent(env, fetched),
        kind: 'in-process',
        tier: route.tier,
        errorClass: errorClass(failure.error),
      }))
      await backOff(env, retryDelay(sub.policy.retry, attempt + 1, failure.error))
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
      retryEvent('topic', { attempt: attempts, tier: nextTier, error: failure.error, topic: retryTopic })
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
 * A domain record older than `maxRecordAge` when read is dead-lettered without calling the handler
 * (Lambda's MaximumRecordAge): a consumer far behind skips stale work instead of acting on it late.
 * Records in the retry tiers are not checked: the group accepted them into its retry schedule.
 */
function expire(env: ProcessorEnv, fetched: FetchedRecord, outbox: Outbox, maxAgeMs: number): boolean {
  const now = Date.now()
  const { message, partition, route } = fetched
  const ageMs = now - Number(message.timestamp)
  if (!(ageMs > maxAgeMs)) return false
  const topic = route.subscription.topic
  publish('expired', () => ({ ...recordEvent(env, fetched), ageMs, maxRecordAgeMs: maxAgeMs }))
  const error = new RecordTooOldError(
    `the record was ${ageMs} ms old when read, more than maxRecordAge (${maxAgeMs} ms)`,
    { context: { topic, partition, offset: message.offset, ageMs, maxRecordAgeMs: maxAgeMs } },
  )
  const origin = { topic, partition, offset: message.offset, timestamp: message.timestamp }
  deadLetter(
    env,
    fetched,
    outbox,
    origin,
    { stage: Stage.handle, error, verdict: Verdict.deadLetter },
    0,
    now,
  )
  return true
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
  deadLetterEvent({
    stage: failure.stage,
    error: failure.error,
    attempts,
    topic: sub.policy.deadLetter ? sub.deadLetterTopic : undefined,
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
