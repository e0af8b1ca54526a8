// The ops routes live in libs/observability (the registry's app needs them without this lib).
export type { ReadinessCheck } from '#libs/observability'
export { opsMetricNames, registerOpsRoutes } from '#libs/observability'
export type {
  ConsumerService,
  ConsumerServiceOptions,
  ServiceDeps,
} from './src/consumer-service.ts'
export { runConsumerService, startConsumerService } from './src/consumer-service.ts'
export type { EnvNames } from './src/env.ts'
export {
  envDurationList,
  envDurationMs,
  envError,
  envInt,
  envList,
  envOneOf,
  envPort,
  envRequired,
  envString,
  envUrl,
  ServiceEnv,
} from './src/env.ts'
export type { Problem, ProblemOptions } from './src/http-errors.ts'
export {
  problem,
  problemFor,
  REQUEST_ID_HEADER,
  registerErrorHandlers,
  sendProblem,
} from './src/http-errors.ts'
export { serviceKafka } from './src/kafka-client.ts'
export type { LagMonitor } from './src/lag-monitor.ts'
export { startLagMonitor } from './src/lag-monitor.ts'
export type { StopHook } from './src/lifecycle.ts'
export { stopOnSignals } from './src/lifecycle.ts'
export { stopWhenParentDies } from './src/lifeline.ts'
export type { ServiceHttp } from './src/ops-server.ts'
export { registerServiceHttpBasics, serviceFastifyOptions, startServiceHttp } from './src/ops-server.ts'
export type { Admission, Rate } from './src/rate-limit.ts'
export { formatRate, parseRate, RateLimiter } from './src/rate-limit.ts'
export type { ServeOptions, ServiceKit, ServiceKitOptions } from './src/service-kit.ts'
export { runService, serviceKit } from './src/service-kit.ts'
export type { ServiceMetrics } from './src/service-metrics.ts'
export { createServiceMetrics, serviceMetricNames } from './src/service-metrics.ts'
export { openServiceStore } from './src/service-store.ts'
