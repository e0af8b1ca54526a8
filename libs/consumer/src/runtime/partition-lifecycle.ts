import type { Logger, PartitionHooks, TopicPartition } from '../types.ts'
import type { Route } from './routes.ts'

interface Assigned {
  readonly hooks: PartitionHooks
  readonly partition: TopicPartition
}

/**
 * Calls the subscriptions' partition hooks at the moments the runtime knows about: a group join
 * (partitions gone: onRevoke; every assigned one: onAssign before its first batch), a batch that
 * starts at or below a record already delivered (onRewind), a stop or crash (onRevoke for all).
 * kafkajs rebalances eagerly and reports only the new assignment (GROUP_JOIN), so revocation is the
 * difference between two assignments.
 */
export class PartitionLifecycle {
  readonly #routes: ReadonlyMap<string, Route>
  readonly #logger: Logger | undefined
  #generation = 0
  #assigned = new Map<string, Assigned>()
  /** Per partition: the join it was last seen in, and the last offset delivered to it since. */
  readonly #seen = new Map<string, { generation: number; through: bigint }>()

  constructor(routes: ReadonlyMap<string, Route>, logger?: Logger) {
    this.#routes = routes
    this.#logger = logger
  }

  /** GROUP_JOIN with the member's new assignment. */
  joined(assignment: Readonly<Record<string, readonly number[]>>): void {
    this.#generation++
    const next = new Map<string, Assigned>()
    for (const [topic, partitions] of Object.entries(assignment)) {
      const route = this.#routes.get(topic)
      const hooks = route?.tier === 0 ? route.subscription.hooks : undefined
      if (!hooks) continue
      for (const partition of partitions)
        next.set(keyOf(topic, partition), { hooks, partition: { topic, partition } })
    }
    for (const [key, entry] of this.#assigned) if (!next.has(key)) this.#revoke(entry)
    this.#assigned = next
  }

  /** The member stopped, crashed or left: nothing is its own any more. */
  revokeAll(): void {
    this.#generation++
    for (const entry of this.#assigned.values()) this.#revoke(entry)
    this.#assigned.clear()
  }

  /** Before records `first`..`last` of a partition are processed. */
  async beforeBatch(route: Route, partition: number, first: string, last: string): Promise<void> {
    const hooks = route.tier === 0 ? route.subscription.hooks : undefined
    if (!hooks) return
    const topic = route.subscription.topic
    const key = keyOf(topic, partition)
    const seen = this.#seen.get(key)
    if (seen?.generation !== this.#generation) await hooks.onAssign?.({ topic, partition })
    else if (BigInt(first) <= seen.through) await hooks.onRewind?.({ topic, partition }, first)
    this.#seen.set(key, { generation: this.#generation, through: BigInt(last) })
  }

  #revoke({ hooks, partition }: Assigned): void {
    this.#seen.delete(keyOf(partition.topic, partition.partition))
    if (!hooks.onRevoke) return
    Promise.resolve()
      .then(() => hooks.onRevoke?.(partition))
      .catch((error: unknown) => this.#logger?.error({ ...partition, err: error }, 'onRevoke hook failed'))
  }
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`
}
