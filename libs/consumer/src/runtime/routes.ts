import { deadLetterTopicName, retryTopicName } from '#libs/kafka'
import type { PolicyInput, ResolvedPolicy } from '../policy/types.ts'
import { resolvePolicy } from '../policy/validate.ts'
import type { AnySubscription, Decoder, HandlerContext, PartitionHooks, RecordContext } from '../types.ts'
import { guardHandler } from './handler-guards.ts'
import { Semaphore } from './semaphore.ts'

/** A subscription ready to run: its resolved policy and the group-owned topics derived from it. */
export interface CompiledSubscription {
  readonly index: number
  readonly topic: string
  readonly decode: Decoder<unknown>
  readonly handler: (value: unknown, ctx: HandlerContext) => void | Promise<void>
  readonly policy: ResolvedPolicy
  readonly hooks: PartitionHooks | undefined
  /** retryTopics[i] holds tier i + 1. */
  readonly retryTopics: readonly string[]
  readonly deadLetterTopic: string
  /** Partitions of this subscription processed at once. */
  readonly semaphore: Semaphore
  /** Records of this subscription being handled at once (`key`/`none` ordering: `maxInFlight`). */
  readonly records: Semaphore
}

/** What a fetched topic means: the subscription it belongs to and its tier (0 = the domain topic). */
export interface Route {
  readonly subscription: CompiledSubscription
  readonly tier: number
}

export function compileSubscriptions(
  groupId: string,
  defaults: PolicyInput | undefined,
  subscriptions: readonly AnySubscription[],
): { subscriptions: CompiledSubscription[]; routes: Map<string, Route> } {
  const compiled = subscriptions.map((sub, index): CompiledSubscription => {
    const policy = resolvePolicy(defaults, sub.policy)
    return {
      index,
      topic: sub.topic,
      decode: sub.decode,
      handler: guardHandler(
        groupId,
        sub.handler as CompiledSubscription['handler'],
        sub.filter as ((value: unknown, record: RecordContext) => boolean) | undefined,
        policy.handlerTimeoutMs,
      ),
      policy,
      hooks: sub.hooks,
      retryTopics: policy.retryTopicsMs.map((_, i) => retryTopicName(groupId, sub.topic, i + 1)),
      deadLetterTopic: deadLetterTopicName(groupId, sub.topic),
      semaphore: new Semaphore(partitionsAtOnce(policy)),
      records: new Semaphore(policy.maxInFlight),
    }
  })
  const routes = new Map<string, Route>()
  for (const subscription of compiled) {
    routes.set(subscription.topic, { subscription, tier: 0 })
    subscription.retryTopics.forEach((topic, i) => {
      routes.set(topic, { subscription, tier: i + 1 })
    })
  }
  return { subscriptions: compiled, routes }
}

/**
 * Partitions of one subscription (domain topic and retry tiers) processed at once. `partition`
 * ordering: `concurrency`. `key`/`none`: every assigned partition, up to `maxInFlight` (capped at
 * 256): the record permits are the bound that matters, an idle partition holds none.
 */
export function partitionsAtOnce(policy: ResolvedPolicy): number {
  return policy.ordering === 'partition' ? policy.concurrency : Math.min(policy.maxInFlight, 256)
}

/** The longest tier delay of the group: the bound for due times read back from retry records. */
export function longestDelayMs(subscription: CompiledSubscription): number {
  return Math.max(0, ...subscription.policy.retryTopicsMs)
}
