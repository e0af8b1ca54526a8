export type {
  ConsumerService,
  ConsumerServiceOptions,
  ServiceDeps,
} from './src/consumer-service.ts'
export { runConsumerService, startConsumerService } from './src/consumer-service.ts'
export { envDurationList, envDurationMs, envInt, envString, ServiceEnv } from './src/env.ts'
export type { LagMonitor } from './src/lag-monitor.ts'
export { startLagMonitor } from './src/lag-monitor.ts'
export type { StopHook } from './src/lifecycle.ts'
export { stopOnSignals } from './src/lifecycle.ts'
export { stopWhenParentDies } from './src/lifeline.ts'
export type { ReadinessCheck } from './src/ops-routes.ts'
export { opsMetricNames, registerOpsRoutes } from './src/ops-routes.ts'
export type { ServiceHttp } from './src/ops-server.ts'
export { startServiceHttp } from './src/ops-server.ts'
export type { Admission, Rate } from './src/rate-limit.ts'
export { formatRate, parseRate, RateLimiter } from './src/rate-limit.ts'
export type { ServiceMetrics } from './src/service-metrics.ts'
export { createServiceMetrics, serviceMetricNames } from './src/service-metrics.ts'
export { openServiceStore } from './src/service-store.ts'
