export { kafkaLogCreator } from './src/kafka-logs.ts'
export type { Logger } from './src/logger.ts'
export { createLogger, logLevels } from './src/logger.ts'
export { consumerMetricNames, instrumentConsumers } from './src/metrics/consumer-metrics.ts'
export type {
  DeadLetterGauges,
  DeadLetterSample,
  GroupLagGauges,
  PartitionLagSample,
  ReplaySample,
} from './src/metrics/live-metrics.ts'
export {
  deadLetterGauges,
  groupLagGauges,
  liveMetricNames,
  replayGauges,
} from './src/metrics/live-metrics.ts'
export { createMetricsRegistry } from './src/metrics/registry.ts'
export type { ReadinessCheck } from './src/ops-routes.ts'
export { opsMetricNames, registerOpsRoutes } from './src/ops-routes.ts'
export { REDACTED, redactPaths } from './src/redaction.ts'
export { type TraceLogFields, traceLogFields } from './src/trace-log.ts'
