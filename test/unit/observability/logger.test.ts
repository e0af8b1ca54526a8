import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { createLogger } from '#libs/observability'

/** A destination that keeps every JSON line pino writes. */
function lines() {
  const written: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) written.push(JSON.parse(line))
      done()
    },
  })
  return { stream, written }
}

test('an Authorization header, an API key and a SASL password are logged as [Redacted]', () => {
  const { stream, written } = lines()
  const logger = createLogger('svc', {}, stream)
  logger.info(
    {
      req: { headers: { authorization: 'Bearer s3cret', 'x-api-key': 'k3y', host: 'gateway' } },
      kafka: { brokers: ['b:9092'], sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'pw' } },
    },
    'request',
  )
  const line = written[0] as {
    req: { headers: Record<string, string> }
    kafka: { sasl: Record<string, string> }
  }
  assert.equal(line.req.headers['authorization'], '[Redacted]')
  assert.equal(line.req.headers['x-api-key'], '[Redacted]')
  assert.equal(line.req.headers['host'], 'gateway', 'what is not secret stays')
  assert.deepEqual(line.kafka.sasl, { mechanism: 'scram-sha-512', username: 'svc', password: '[Redacted]' })
  assert.doesNotMatch(JSON.stringify(written), /s3cret|k3y|"pw"/)
})

test('a child logger for a component redacts too and names the component on every line', () => {
  const { stream, written } = lines()
  const logger = createLogger('svc', { LOG_LEVEL: 'debug' }, stream).child({ component: 'auth' })
  logger.debug({ token: 'operator-token', password: 'p', user: 'alice' }, 'checked')
  assert.deepEqual(
    [
      written[0]?.['service'],
      written[0]?.['component'],
      written[0]?.['token'],
      written[0]?.['password'],
      written[0]?.['user'],
    ],
    ['svc', 'auth', '[Redacted]', '[Redacted]', 'alice'],
  )
})
