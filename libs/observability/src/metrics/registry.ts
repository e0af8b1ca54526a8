import { collectDefaultMetrics, Registry } from 'prom-client'

/** A registry per process (never prom-client's global one, so tests and services do not share state). */
export function createMetricsRegistry(options: { defaultMetrics?: boolean; prefix?: string } = {}): Registry {
  const registry = new Registry()
  if (options.defaultMetrics !== false)
    collectDefaultMetrics({ register: registry, prefix: options.prefix ?? '' })
  return registry
}
