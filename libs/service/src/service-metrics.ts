import { Counter, type Registry } from 'prom-client'

/** Metric names of the domain services; docs/services.md has the same table, a unit test keeps them in step. */
export const serviceMetricNames = {
  emitted: 'eb_service_events_emitted_total',
  outcomes: 'eb_service_outcomes_total',
} as const

/** What a handler reports beyond the consumer runtime's own metrics. */
export interface ServiceMetrics {
  /** An output event a successful handler call emitted (counted when the handler returns). */
  emitted(eventType: string, count?: number): void
  /** A domain outcome: `posted`, `duplicate_skipped`, `alert_raised`, `late_dropped`, ... */
  outcome(outcome: string): void
}

export function createServiceMetrics(registry: Registry, service: string): ServiceMetrics {
  const emitted = new Counter({
    name: serviceMetricNames.emitted,
    help: 'Output events emitted by successful handler calls',
    labelNames: ['service', 'event_type'],
    registers: [registry],
  })
  const outcomes = new Counter({
    name: serviceMetricNames.outcomes,
    help: 'Domain outcomes of handled records',
    labelNames: ['service', 'outcome'],
    registers: [registry],
  })
  return {
    emitted: (eventType, count = 1) => emitted.inc({ service, event_type: eventType }, count),
    outcome: (outcome) => outcomes.inc({ service, outcome }),
  }
}
