export { loadTriggers, parseTriggers } from './src/config/load.ts'
export type {
  Trigger,
  TriggerCost,
  TriggerFilter,
  TriggerRetry,
  TriggersFile,
} from './src/config/types.ts'
export {
  DeliveryFormat,
  StartFrom,
  TriggerOrdering,
  triggerDefaults,
  triggerLimits,
} from './src/config/types.ts'
export { ceStructuredContentType, httpCeHeader, kafkaCeHeader } from './src/delivery/ce-names.ts'
export type { CloudEventAttributes, DeliveryRecord } from './src/delivery/cloudevent.ts'
export { cloudEventAttributes, eventJson } from './src/delivery/cloudevent.ts'
export { matchesFilter } from './src/delivery/filter.ts'
export { buildRequest } from './src/delivery/formats.ts'
export { classOf, isRetriableStatus, OutcomeClass, retryAfterMs } from './src/delivery/outcome.ts'
export { parseSecrets, signatureHeaders } from './src/delivery/signing.ts'
export { invocationCost } from './src/metrics/cost.ts'
export type { TriggerUsage } from './src/metrics/trigger-metrics.ts'
export { triggerMetricNames } from './src/metrics/trigger-metrics.ts'
export type { TriggerService, TriggerServiceOptions } from './src/service.ts'
export { defaultGroupPrefix, startTriggerService, TriggerEnv } from './src/service.ts'
export type { TriggerStatus } from './src/status.ts'
export { triggerPolicy } from './src/subscriptions.ts'
