import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { KafkaConfigError } from '@event-backbone/errors'
import { defaultRetryBudgetMs, KafkaEnv, kafkaConfigFromEnv, retryWaits } from '#libs/kafka'

test('brokers and client id come from the environment', () => {
  const config = kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:9092, b:9093', KAFKA_CLIENT_ID: 'svc' })
  assert.deepEqual(config.brokers, ['a:9092', 'b:9093'])
  assert.equal(config.clientId, 'svc')
  assert.equal(config.ssl, undefined)
  assert.equal(config.sasl, undefined)
})

test('SCRAM credentials turn TLS on unless it is switched off explicitly', () => {
  const env = {
    KAFKA_BROKERS: 'a:9092',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: 'u',
    KAFKA_SASL_PASSWORD: 'p',
  }
  const config = kafkaConfigFromEnv(env)
  assert.deepEqual(config.sasl, { mechanism: 'scram-sha-512', username: 'u', password: 'p' })
  assert.equal(config.ssl, true)
  assert.equal(kafkaConfigFromEnv({ ...env, KAFKA_TLS: 'false' }).ssl, undefined)
})

test('a missing or malformed variable is named in the error', () => {
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{}, /KAFKA_BROKERS/],
    [{ KAFKA_BROKERS: 'no-port' }, /KAFKA_BROKERS has "no-port"/],
    [{ KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'kerberos' }, /KAFKA_SASL_MECHANISM needs to be one of/],
    [{ KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'plain' }, /KAFKA_SASL_USERNAME is required/],
    [{ KAFKA_BROKERS: 'a:1', KAFKA_TLS: 'maybe' }, /KAFKA_TLS needs to be true or false/],
    [{ KAFKA_BROKERS: 'a:1', KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem' }, /KAFKA_TLS_CA_FILE points at/],
    [{ KAFKA_BROKERS: 'a:1', KAFKA_REQUEST_TIMEOUT_MS: '-3' }, /KAFKA_REQUEST_TIMEOUT_MS needs to be/],
  ]
  for (const [env, message] of cases) {
    assert.throws(
      () => kafkaConfigFromEnv(env),
      (error: unknown) => error instanceof KafkaConfigError && message.test(error.message),
    )
  }
})

test('every environment variable read is documented in docs/kafka.md, and nothing else is', () => {
  const doc = readFileSync(new URL('../../../docs/kafka.md', import.meta.url), 'utf8')
  const documented = new Set([...doc.matchAll(/^\|\s*`(KAFKA_[A-Z_]+)`/gm)].map((m) => m[1]))
  assert.deepEqual(documented, new Set(Object.values(KafkaEnv)))
})

test('clients retry a retriable error for the retry budget: 10 s by default, KAFKA_RETRY_BUDGET_MS to change it', () => {
  const total = (env: NodeJS.ProcessEnv) => {
    const retry = kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', ...env }).retry
    assert.ok(retry, 'the config carries retry settings')
    const waits = retryWaits(retry)
    return { sum: waits.reduce((a, b) => a + b, 0), longest: Math.max(...waits) }
  }
  const byDefault = total({})
  assert.ok(
    defaultRetryBudgetMs > 9_000,
    'outlasts the brokers’ default fencing (broker.session.timeout.ms 9 s)',
  )
  // Longer than a broker's default session timeout (9 s) plus a leader election, so a failover
  // is waited out rather than surfaced as a failed publish; no single wait so long that a new
  // leader goes unused for long.
  assert.ok(
    byDefault.sum >= defaultRetryBudgetMs && byDefault.sum < defaultRetryBudgetMs + 5_000,
    `${byDefault.sum}`,
  )
  assert.ok(byDefault.longest <= 5_000)
  const longer = total({ KAFKA_RETRY_BUDGET_MS: '120000' })
  assert.ok(longer.sum >= 120_000 && longer.sum < 125_000, `${longer.sum}`)
  assert.ok(total({ KAFKA_RETRY_BUDGET_MS: '1' }).sum >= 1)
  assert.throws(
    () => kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_RETRY_BUDGET_MS: 'soon' }),
    /KAFKA_RETRY_BUDGET_MS needs to be a whole number of milliseconds/,
  )
  // An explicit override still wins (the CLI's short-lived commands retry less).
  assert.deepEqual(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1' }, { retry: { retries: 2 } }).retry, {
    retries: 2,
  })
})
