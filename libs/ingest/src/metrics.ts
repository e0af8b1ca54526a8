import { Counter, Histogram, type Registry } from 'prom-client'

/** Metric names; docs/metrics.md has the same table and a unit test keeps the two in step. */
export const ingestMetricNames = {
  requests: 'eb_ingest_requests_total',
  publishDuration: 'eb_ingest_publish_duration_seconds',
  events: 'eb_ingest_events_total',
} as const

export interface IngestMetrics {
  request(eventType: string, status: number): void
  published(eventType: string, seconds: number, ok: boolean): void
}

const registered = new WeakMap<Registry, IngestMetrics>()

/** The gateway's metrics on `registry` (once per registry, so two route sets may share one). */
export function ingestMetrics(registry: Registry): IngestMetrics {
  const existing = registered.get(registry)
  if (existing) return existing
  const registers = [registry]
  const requests = new Counter({
    name: ingestMetricNames.requests,
    help: 'Ingest requests answered, by event type and HTTP status',
    labelNames: ['event_type', 'status'],
    registers,
  })
  const publishDuration = new Histogram({
    name: ingestMetricNames.publishDuration,
    help: 'Time from handing an event to the publisher until the broker acknowledged it or it failed',
    labelNames: ['event_type', 'outcome'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers,
  })
  const events = new Counter({
    name: ingestMetricNames.events,
    help: 'Events handed to the publisher, by outcome (published | failed)',
    labelNames: ['event_type', 'outcome'],
    registers,
  })
  // Labelled children cached per label set: prom-client hashes the label object on every inc.
  const requestChildren = new Map<string, ReturnType<typeof requests.labels>>()
  const publishChildren = new Map<
    string,
    { duration: ReturnType<typeof publishDuration.labels>; events: ReturnType<typeof events.labels> }
  >()
  const metrics: IngestMetrics = {
    request: (eventType, status) => {
      const key = `${eventType}\n${status}`
      let child = requestChildren.get(key)
      if (child === undefined) {
        child = requests.labels(eventType, String(status))
        requestChildren.set(key, child)
      }
      child.inc()
    },
    published: (eventType, seconds, ok) => {
      const outcome = ok ? 'published' : 'failed'
      const key = `${eventType}\n${outcome}`
      let children = publishChildren.get(key)
      if (children === undefined) {
        children = {
          duration: publishDuration.labels(eventType, outcome),
          events: events.labels(eventType, outcome),
        }
        publishChildren.set(key, children)
      }
      children.duration.observe(seconds)
      children.events.inc()
    },
  }
  registered.set(registry, metrics)
  return metrics
}
