export type { Logger } from './src/logger.ts'
export { createLogger } from './src/logger.ts'
export { consumerMetricNames, instrumentConsumers } from './src/metrics/consumer-metrics.ts'
export { createMetricsRegistry } from './src/metrics/registry.ts'
