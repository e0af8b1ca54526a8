import { readFileSync } from 'node:fs'
import type { ConnectionOptions } from 'node:tls'
import { KafkaConfigError } from '@event-backbone/errors'
import { type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs'
import { defaultRetryBudgetMs, retryWithinBudget } from './retry-budget.ts'

/** The environment variables read by `kafkaConfigFromEnv`; docs/kafka.md has the same table. */
export const KafkaEnv = {
  brokers: 'KAFKA_BROKERS',
  clientId: 'KAFKA_CLIENT_ID',
  saslMechanism: 'KAFKA_SASL_MECHANISM',
  saslUsername: 'KAFKA_SASL_USERNAME',
  saslPassword: 'KAFKA_SASL_PASSWORD',
  tls: 'KAFKA_TLS',
  tlsCaFile: 'KAFKA_TLS_CA_FILE',
  tlsCertFile: 'KAFKA_TLS_CERT_FILE',
  tlsKeyFile: 'KAFKA_TLS_KEY_FILE',
  tlsRejectUnauthorized: 'KAFKA_TLS_REJECT_UNAUTHORIZED',
  connectionTimeoutMs: 'KAFKA_CONNECTION_TIMEOUT_MS',
  requestTimeoutMs: 'KAFKA_REQUEST_TIMEOUT_MS',
  logLevel: 'KAFKA_LOG_LEVEL',
  retryBudgetMs: 'KAFKA_RETRY_BUDGET_MS',
} as const

const saslMechanisms = ['scram-sha-256', 'scram-sha-512', 'plain'] as const
const logLevels: Record<string, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
}

function fail(name: string, why: string): never {
  throw new KafkaConfigError(`${name} ${why}`, { context: { variable: name } })
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase()
  if (value === undefined || value === '') return fallback
  if (['1', 'true', 'yes'].includes(value)) return true
  if (['0', 'false', 'no'].includes(value)) return false
  return fail(name, `needs to be true or false, got "${value}"`)
}

function milliseconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name]?.trim()
  if (!value) return undefined
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0) fail(name, `needs to be a whole number of milliseconds > 0`)
  return parsed
}

function readPem(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const path = env[name]?.trim()
  if (!path) return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch (cause) {
    return fail(name, `points at ${path}, which cannot be read: ${(cause as Error).message}`)
  }
}

function sasl(env: NodeJS.ProcessEnv): SASLOptions | undefined {
  const mechanism = env[KafkaEnv.saslMechanism]?.trim().toLowerCase()
  if (!mechanism) return undefined
  if (!(saslMechanisms as readonly string[]).includes(mechanism)) {
    fail(KafkaEnv.saslMechanism, `needs to be one of ${saslMechanisms.join(', ')}, got "${mechanism}"`)
  }
  const username = env[KafkaEnv.saslUsername]
  const password = env[KafkaEnv.saslPassword]
  if (!username) fail(KafkaEnv.saslUsername, `is required when ${KafkaEnv.saslMechanism} is set`)
  if (!password) fail(KafkaEnv.saslPassword, `is required when ${KafkaEnv.saslMechanism} is set`)
  return { mechanism: mechanism as (typeof saslMechanisms)[number], username, password } as SASLOptions
}

function tls(env: NodeJS.ProcessEnv, saslOn: boolean): boolean | ConnectionOptions | undefined {
  const ca = readPem(env, KafkaEnv.tlsCaFile)
  const cert = readPem(env, KafkaEnv.tlsCertFile)
  const key = readPem(env, KafkaEnv.tlsKeyFile)
  const rejectUnauthorized = flag(env, KafkaEnv.tlsRejectUnauthorized, true)
  // SASL credentials must not travel in clear text unless someone says so explicitly.
  const on = flag(env, KafkaEnv.tls, saslOn || ca !== undefined || cert !== undefined)
  if (!on) return undefined
  if ((cert === undefined) !== (key === undefined)) {
    fail(KafkaEnv.tlsKeyFile, `and ${KafkaEnv.tlsCertFile} need to be set together for client certificates`)
  }
  if (!ca && !cert && rejectUnauthorized) return true
  return { ca, cert, key, rejectUnauthorized }
}

/**
 * The kafkajs client configuration from the environment. `overrides` wins over the environment,
 * so tests and services can set their own clientId or timeouts.
 */
export function kafkaConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<KafkaConfig> = {},
): KafkaConfig {
  const brokers = (env[KafkaEnv.brokers] ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0)
  if (brokers.length === 0 && !overrides.brokers) fail(KafkaEnv.brokers, 'needs at least one host:port')
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) fail(KafkaEnv.brokers, `has "${broker}", which is not host:port`)
  }
  const level = env[KafkaEnv.logLevel]?.trim().toLowerCase() ?? 'warn'
  if (!(level in logLevels))
    fail(KafkaEnv.logLevel, `needs to be one of ${Object.keys(logLevels).join(', ')}`)
  const saslOptions = sasl(env)
  const config: KafkaConfig = {
    clientId: env[KafkaEnv.clientId]?.trim() || 'event-backbone',
    brokers,
    logLevel: logLevels[level],
  }
  const ssl = tls(env, saslOptions !== undefined)
  if (ssl !== undefined) config.ssl = ssl
  if (saslOptions) config.sasl = saslOptions
  const connectionTimeout = milliseconds(env, KafkaEnv.connectionTimeoutMs)
  if (connectionTimeout) config.connectionTimeout = connectionTimeout
  const requestTimeout = milliseconds(env, KafkaEnv.requestTimeoutMs)
  if (requestTimeout) config.requestTimeout = requestTimeout
  // Producers, consumers and admins inherit the client's retry settings unless they set their own
  // (the transactional producers do: they retry without limit, libs/kafka transactional-retry.ts).
  config.retry = retryWithinBudget(milliseconds(env, KafkaEnv.retryBudgetMs) ?? defaultRetryBudgetMs)
  return { ...config, ...overrides }
}
