import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Trigger } from '../config/types.ts'
import { OutcomeClass } from '../delivery/outcome.ts'
import { invocationCost } from './cost.ts'

export const triggerMetricNames = {
  invocations: 'eb_trigger_invocations_total',
  failures: 'eb_trigger_failures_total',
  duration: 'eb_trigger_duration_seconds',
  inFlight: 'eb_trigger_in_flight',
  gbSeconds: 'eb_trigger_billed_gb_seconds_total',
  cost: 'eb_trigger_estimated_cost_usd_total',
  filtered: 'eb_trigger_filtered_total',
} as const

/** One trigger's running figures, for `GET /triggers` and `backbone triggers status`. */
export interface TriggerUsage {
  invocations: number
  byClass: Record<string, number>
  failures: number
  inFlight: number
  filtered: number
  totalDurationMs: number
  gbSeconds: number
  estimatedCostUsd: number
}

export interface TriggerMetrics {
  started(trigger: Trigger): void
  finished(trigger: Trigger, outcomeClass: OutcomeClass, durationMs: number): void
  filtered(trigger: Trigger): void
  usage(name: string): TriggerUsage
}

const emptyUsage = (): TriggerUsage => ({
  invocations: 0,
  byClass: {},
  failures: 0,
  inFlight: 0,
  filtered: 0,
  totalDurationMs: 0,
  gbSeconds: 0,
  estimatedCostUsd: 0,
})

/** Per-trigger Prometheus metrics (docs/metrics.md), plus the same figures kept for the status endpoint. */
export function createTriggerMetrics(registry: Registry): TriggerMetrics {
  const invocations = new Counter({
    name: triggerMetricNames.invocations,
    help: 'HTTP deliveries to the function, by outcome class (2xx, 3xx, 4xx, 5xx, timeout, network)',
    labelNames: ['trigger', 'class'],
    registers: [registry],
  })
  const failures = new Counter({
    name: triggerMetricNames.failures,
    help: 'Deliveries that did not succeed, by class',
    labelNames: ['trigger', 'class'],
    registers: [registry],
  })
  const duration = new Histogram({
    name: triggerMetricNames.duration,
    help: 'Duration of each delivery, request sent to response read',
    labelNames: ['trigger', 'class'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const inFlight = new Gauge({
    name: triggerMetricNames.inFlight,
    help: 'Deliveries waiting for the function now',
    labelNames: ['trigger'],
    registers: [registry],
  })
  const gbSeconds = new Counter({
    name: triggerMetricNames.gbSeconds,
    help: 'Memory × billed duration of the invocations, in GB-seconds (the cost model)',
    labelNames: ['trigger'],
    registers: [registry],
  })
  const cost = new Counter({
    name: triggerMetricNames.cost,
    help: 'Estimated cost of the invocations in USD: requests plus GB-seconds at the trigger’s prices',
    labelNames: ['trigger'],
    registers: [registry],
  })
  const filtered = new Counter({
    name: triggerMetricNames.filtered,
    help: 'Events of the trigger’s types that its filter did not pass (not delivered)',
    labelNames: ['trigger'],
    registers: [registry],
  })
  const usages = new Map<string, TriggerUsage>()
  const usageOf = (name: string) => {
    const usage = usages.get(name) ?? emptyUsage()
    usages.set(name, usage)
    return usage
  }
  return {
    started(trigger) {
      inFlight.inc({ trigger: trigger.name })
      usageOf(trigger.name).inFlight += 1
    },
    finished(trigger, outcomeClass, durationMs) {
      const name = trigger.name
      const usage = usageOf(name)
      inFlight.dec({ trigger: name })
      usage.inFlight -= 1
      invocations.inc({ trigger: name, class: outcomeClass })
      duration.observe({ trigger: name, class: outcomeClass }, durationMs / 1000)
      usage.invocations += 1
      usage.byClass[outcomeClass] = (usage.byClass[outcomeClass] ?? 0) + 1
      usage.totalDurationMs += durationMs
      if (outcomeClass !== OutcomeClass.success) {
        failures.inc({ trigger: name, class: outcomeClass })
        usage.failures += 1
      }
      // A request that never reached the function (network) is not billed by any platform.
      if (outcomeClass === OutcomeClass.network) return
      const bill = invocationCost(trigger.cost, durationMs)
      gbSeconds.inc({ trigger: name }, bill.gbSeconds)
      cost.inc({ trigger: name }, bill.usd)
      usage.gbSeconds += bill.gbSeconds
      usage.estimatedCostUsd += bill.usd
    },
    filtered(trigger) {
      filtered.inc({ trigger: trigger.name })
      usageOf(trigger.name).filtered += 1
    },
    usage: (name) => ({ ...usageOf(name), byClass: { ...usageOf(name).byClass } }),
  }
}
