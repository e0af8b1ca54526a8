import { eventTypes as catalogEventTypes, type EventType, isEventType } from '@event-backbone/catalog'
import { IngestConfigError } from '@event-backbone/errors'
import { envInt, envPort, envString, envUrl, parseRate, type Rate, ServiceEnv } from '#libs/service'
import { type ApiKey, parseApiKeys } from './api-keys.ts'
import { INGEST_DEFAULTS } from './routes.ts'

/** The gateway's own environment variables; docs/ingest-gateway.md has the same table. */
export const IngestEnv = {
  apiKeys: 'INGEST_API_KEYS',
  eventTypes: 'INGEST_EVENT_TYPES',
  bodyLimit: 'INGEST_BODY_LIMIT_BYTES',
  maxBatchItems: 'INGEST_MAX_BATCH_ITEMS',
  publishTimeoutMs: 'INGEST_PUBLISH_TIMEOUT_MS',
  retryAfterSeconds: 'INGEST_RETRY_AFTER_SECONDS',
  lingerMs: 'INGEST_LINGER_MS',
  rateLimit: 'INGEST_RATE_LIMIT',
  authFailureLimit: 'INGEST_AUTH_FAILURE_LIMIT',
} as const

/** Per key unless the key's entry sets its own; `off` in the variable disables it. */
export const DEFAULT_RATE_LIMIT = '1000/s burst 2000'
/** Failed authentications per client address: slows key guessing to a crawl. */
export const DEFAULT_AUTH_FAILURE_LIMIT = '5/s burst 20'

/**
 * The publisher's linger for the gateway. Every request waits for its acknowledgement, and the
 * publisher keeps one batch in flight, so requests that arrive meanwhile coalesce into the next
 * batch anyway: lingering on top only adds latency (measured in benchmarks/gateway.bench.ts).
 */
export const GATEWAY_LINGER_MS = 0

export interface IngestConfig {
  readonly host: string
  readonly port: number
  readonly registryUrl: string
  readonly keys: readonly ApiKey[]
  readonly eventTypes: readonly EventType[]
  readonly bodyLimit: number
  readonly maxBatchItems: number
  readonly publishTimeoutMs: number
  readonly retryAfterSeconds: number
  readonly lingerMs: number
  /** Requests per API key; undefined: unlimited (`off`). */
  readonly rateLimit: Rate | undefined
  /** Failed authentications per client address; undefined: unlimited (`off`). */
  readonly authFailureLimit: Rate | undefined
}

function rate(env: NodeJS.ProcessEnv, name: string, fallback: string): Rate | undefined {
  const text = env[name]?.trim() || fallback
  if (text === 'off') return undefined
  const parsed = parseRate(text)
  if (!parsed)
    fail(name, `needs a rate such as 100/s or 100/s burst 300 (or off), got ${JSON.stringify(text)}`)
  return parsed
}

function fail(variable: string, why: string): never {
  throw new IngestConfigError(`${variable} ${why}`, { context: { variable } })
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  return envInt(env, name, fallback, { min, max })
}

/**
 * The gateway's settings from the environment (Kafka's own come from kafkaConfigFromEnv). Fails
 * with a message naming the variable: malformed values as the service kit's EB_SERVICE_CONFIG,
 * gateway rules (keys, event types) as EB_INGEST_CONFIG; never echoes an API key entry's hash back.
 */
export function ingestConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const registryUrl = envUrl(env, ServiceEnv.registryUrl)
  const typesText = env[IngestEnv.eventTypes]?.trim()
  let eventTypes = catalogEventTypes()
  if (typesText) {
    const listed = typesText.split(',').map((type) => type.trim())
    for (const type of listed) {
      if (!isEventType(type)) {
        fail(IngestEnv.eventTypes, `names ${JSON.stringify(type)}, which is not an event type of the catalog`)
      }
    }
    eventTypes = listed as EventType[]
  }
  const keysText = env[IngestEnv.apiKeys]?.trim()
  if (!keysText)
    fail(IngestEnv.apiKeys, 'is not set: without keys no client could publish (see docs/ingest-gateway.md)')
  return {
    host: envString(env, ServiceEnv.host, '127.0.0.1'),
    port: envPort(env, ServiceEnv.port, 8080),
    registryUrl,
    keys: parseApiKeys(keysText, eventTypes),
    eventTypes,
    bodyLimit: integer(env, IngestEnv.bodyLimit, INGEST_DEFAULTS.bodyLimit, 1024, 64 * 1024 * 1024),
    maxBatchItems: integer(env, IngestEnv.maxBatchItems, INGEST_DEFAULTS.maxBatchItems, 1, 100_000),
    publishTimeoutMs: integer(
      env,
      IngestEnv.publishTimeoutMs,
      INGEST_DEFAULTS.publishTimeoutMs,
      100,
      600_000,
    ),
    retryAfterSeconds: integer(env, IngestEnv.retryAfterSeconds, INGEST_DEFAULTS.retryAfterSeconds, 1, 3_600),
    lingerMs: integer(env, IngestEnv.lingerMs, GATEWAY_LINGER_MS, 0, 60_000),
    rateLimit: rate(env, IngestEnv.rateLimit, DEFAULT_RATE_LIMIT),
    authFailureLimit: rate(env, IngestEnv.authFailureLimit, DEFAULT_AUTH_FAILURE_LIMIT),
  }
}
