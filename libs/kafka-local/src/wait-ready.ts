import { setTimeout as delay } from 'node:timers/promises'
import type { ConnectionOptions } from 'node:tls'
import { BrokerUnreachableError } from '@event-backbone/errors'
import { Kafka, logLevel, type SASLOptions } from 'kafkajs'

export interface WaitReadyOptions {
  readonly timeoutMs: number
  /** Checked between attempts: lets the caller fail fast when the broker process has died. */
  readonly abortIf?: () => Error | undefined
  /** Credentials for a secured cluster: ready then also means "authenticates this user". */
  readonly sasl?: SASLOptions
  /** TLS settings for a SASL_SSL listener. */
  readonly ssl?: ConnectionOptions
  /** Brokers the cluster must report registered (a multi-node cluster: all of them). Default 1. */
  readonly minBrokers?: number
}

/**
 * Resolves once the cluster answers a metadata request with at least one broker: the broker is
 * then serving clients, which a log line or an open port does not prove.
 */
export async function waitForBroker(brokers: readonly string[], options: WaitReadyOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs
  const kafka = new Kafka({
    clientId: 'backbone-ready-check',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
    ...(options.sasl ? { sasl: options.sasl } : {}),
    ...(options.ssl ? { ssl: options.ssl } : {}),
  })
  let lastError: unknown
  while (Date.now() < deadline) {
    const aborted = options.abortIf?.()
    if (aborted) throw aborted
    const admin = kafka.admin()
    try {
      await admin.connect()
      const cluster = await admin.describeCluster()
      if (cluster.brokers.length >= (options.minBrokers ?? 1) && cluster.controller !== null) return
    } catch (error) {
      lastError = error
    } finally {
      await admin.disconnect().catch(() => {})
    }
    await delay(250)
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : ''
  throw new BrokerUnreachableError(
    `Kafka at ${brokers.join(',')} did not answer within ${Math.round(options.timeoutMs / 1000)} s${reason}`,
    { cause: lastError },
  )
}
