import { randomBytes } from 'node:crypto'
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs'
import { kafkaConfigFromEnv } from '#libs/kafka'
import { type LocalKafka, startLocalKafka } from '#libs/kafka-local'

/**
 * A SCRAM-secured broker of the test file's own (the suite's shared broker stays PLAINTEXT), with
 * one SCRAM user per principal named, each with a random password.
 */
export interface SecuredKafka {
  readonly broker: LocalKafka
  readonly passwords: ReadonlyMap<string, string>
  /** The environment a service of that principal would get (docs/security.md). */
  env(principal: string, password?: string): NodeJS.ProcessEnv
  /** A kafkajs client built by kafkaConfigFromEnv from that environment, as the services build theirs. */
  kafka(principal: string, overrides?: Partial<KafkaConfig>): Kafka
  /** The kafkajs configuration kafkaConfigFromEnv builds for that principal. */
  config(principal: string): KafkaConfig
}

/** `tls`: the client listener is SASL_SSL with a self-signed certificate the clients are given. */
export async function startSecuredKafka(
  principals: readonly string[],
  options: { tls?: boolean } = {},
): Promise<SecuredKafka> {
  const passwords = new Map<string, string>()
  for (const name of ['admin', ...principals]) passwords.set(name, randomBytes(12).toString('hex'))
  const broker = await startLocalKafka({
    heapMb: 512,
    security: {
      admin: { name: 'admin', password: passwords.get('admin')! },
      users: principals.map((name) => ({ name, password: passwords.get(name)! })),
      tls: options.tls ?? false,
    },
  })
  const env = (principal: string, password = passwords.get(principal) ?? 'unknown'): NodeJS.ProcessEnv => ({
    KAFKA_BROKERS: broker.bootstrap,
    KAFKA_CLIENT_ID: principal,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: principal,
    KAFKA_SASL_PASSWORD: password,
    // Without `tls` the local broker's listener is SASL_PLAINTEXT (loopback only); production keeps TLS on.
    ...(broker.tlsCaFile
      ? { KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: broker.tlsCaFile }
      : { KAFKA_TLS: 'false' }),
    KAFKA_LOG_LEVEL: 'nothing',
  })
  return {
    broker,
    passwords,
    env,
    config: (principal) => kafkaConfigFromEnv(env(principal)),
    kafka: (principal, overrides = {}) =>
      new Kafka(kafkaConfigFromEnv(env(principal), { logLevel: logLevel.NOTHING, ...overrides })),
  }
}

/** Every kafkajs error `type` along an error's chain (kafkajs wraps the broker's error). */
export function errorTypes(error: unknown): string[] {
  const types: string[] = []
  const seen = new Set<unknown>()
  const queue: unknown[] = [error]
  while (queue.length > 0) {
    const next = queue.shift()
    if (!next || typeof next !== 'object' || seen.has(next)) continue
    seen.add(next)
    const candidate = next as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown }
    if (typeof candidate.type === 'string') types.push(candidate.type)
    queue.push(candidate.cause, candidate.originalError)
    if (Array.isArray(candidate.errors)) queue.push(...candidate.errors)
  }
  return types
}

/** The rejection of `promise` (fails when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection, but the operation succeeded')
}

/**
 * kafkajs drops the broker's error of a FindCoordinator request (it tries every broker, then throws
 * a generic "Failed to find group coordinator"), but logs it at debug level. This captures the
 * error types of those log entries, so a test can assert on the code the broker answered.
 */
export function brokerErrorLog(): { overrides: Partial<KafkaConfig>; types(): string[] } {
  const types: string[] = []
  return {
    overrides: {
      logLevel: logLevel.DEBUG,
      logCreator:
        () =>
        ({ log }) => {
          const type = (log['error'] as { type?: unknown } | undefined)?.type
          if (typeof type === 'string') types.push(type)
        },
    },
    types: () => [...types],
  }
}
