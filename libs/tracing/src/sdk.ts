import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources'
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions'
import { samplerFromEnv } from './sampler.ts'

export interface Tracing {
  /** False when no OTLP endpoint is configured: nothing was registered and spans cost nothing. */
  readonly enabled: boolean
  /** Exports the spans still buffered, then stops. A service's last stop hook. */
  shutdown(): Promise<void>
}

/**
 * Tracing is on when an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT` or its traces-only
 * form) and neither `OTEL_SDK_DISABLED=true` nor `OTEL_TRACES_EXPORTER=none` turns it off.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false
  if (env['OTEL_TRACES_EXPORTER']?.trim().toLowerCase() === 'none') return false
  return Boolean(
    env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim(),
  )
}

/**
 * Registers the OpenTelemetry trace SDK for this process: spans exported in batches over OTLP
 * http/protobuf, the active span carried through async calls (AsyncLocalStorage), W3C trace
 * context as the propagator. `service` names the process unless `OTEL_SERVICE_NAME` does. The
 * exporter reads the standard `OTEL_EXPORTER_OTLP_*` variables; `OTEL_BSP_SCHEDULE_DELAY` (ms,
 * default 5000) sets how long finished spans wait to be sent in one batch.
 * Libraries only use @opentelemetry/api, which stays a no-op when this was not called.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Tracing {
  if (!tracingEnabled(env)) return { enabled: false, shutdown: async () => {} }
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the name the main gives.
    .merge(detectResources({ detectors: [envDetector] }))
  const provider = new TracerProvider({
    resource,
    sampler: samplerFromEnv(env),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), scheduledDelayMillis: scheduleDelay(env) }),
    ],
  })
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  trace.setGlobalTracerProvider(provider)
  let stopping: Promise<void> | undefined
  return {
    enabled: true,
    shutdown: () => {
      stopping ??= provider.shutdown()
      return stopping
    },
  }
}

function scheduleDelay(env: NodeJS.ProcessEnv): number {
  const raw = env['OTEL_BSP_SCHEDULE_DELAY']?.trim()
  if (raw === undefined || raw === '') return 5_000
  const ms = Number(raw)
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(
      `OTEL_BSP_SCHEDULE_DELAY must be a whole number of milliseconds, got ${JSON.stringify(raw)}`,
    )
  }
  return ms
}
