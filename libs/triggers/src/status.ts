import type { ConsumerGroup } from '#libs/consumer'
import type { Trigger } from './config/types.ts'
import type { TriggerMetrics, TriggerUsage } from './metrics/trigger-metrics.ts'

/** A trigger as `GET /triggers` and `backbone triggers status` show it: never a secret, never a header value. */
export interface TriggerStatus {
  readonly name: string
  readonly group: string
  readonly events: readonly string[]
  readonly url: string
  readonly format: string
  readonly ordering: string
  readonly concurrency: number
  readonly ready: boolean
  readonly signed: boolean
  readonly usage: TriggerUsage
}

export function triggerStatus(
  triggers: readonly Trigger[],
  prefix: string,
  groups: ReadonlyMap<string, ConsumerGroup>,
  metrics: TriggerMetrics,
): TriggerStatus[] {
  return triggers.map((trigger) => ({
    name: trigger.name,
    group: `${prefix}${trigger.name}`,
    events: trigger.events,
    url: trigger.url,
    format: trigger.format,
    ordering: trigger.ordering,
    concurrency: trigger.concurrency,
    ready: groups.get(trigger.name)?.ready ?? false,
    signed: trigger.secretEnv !== undefined,
    usage: metrics.usage(trigger.name),
  }))
}
