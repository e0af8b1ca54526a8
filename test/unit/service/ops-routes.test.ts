import assert from 'node:assert/strict'
import { test } from 'node:test'
import Fastify from 'fastify'
import { Counter } from 'prom-client'
import { createLogger, createMetricsRegistry } from '#libs/observability'
import { registerOpsRoutes, stopOnSignals } from '#libs/service'

function app(ready: () => boolean | string) {
  const metrics = createMetricsRegistry({ defaultMetrics: false })
  new Counter({ name: 'eb_test_total', help: 'a test counter', registers: [metrics] }).inc(3)
  const fastify = Fastify()
  registerOpsRoutes(fastify, { service: 'svc', metrics, readiness: [{ name: 'kafka', check: ready }] })
  return fastify
}

test('healthz answers ok while the process serves HTTP', async () => {
  const response = await app(() => false).inject('/healthz')
  assert.equal(response.statusCode, 200)
  assert.deepEqual(response.json(), { status: 'ok', service: 'svc' })
})

test('readyz answers 503 naming the check that is not ready and why', async () => {
  const response = await app(() => 'not a member of the consumer group').inject('/readyz')
  assert.equal(response.statusCode, 503)
  assert.deepEqual(response.json().checks, [
    { name: 'kafka', ready: false, reason: 'not a member of the consumer group' },
  ])
})

test('readyz answers 200 when every check passes', async () => {
  const response = await app(() => true).inject('/readyz')
  assert.equal(response.statusCode, 200)
  assert.equal(response.json().status, 'ready')
})

test('metrics serves the Prometheus text format', async () => {
  const response = await app(() => true).inject('/metrics')
  assert.equal(response.statusCode, 200)
  assert.match(String(response.headers['content-type']), /^text\/plain/)
  assert.match(response.body, /^eb_test_total 3$/m)
})

test('a graceful stop runs every hook in order and reports a failing one with exit code 1', async () => {
  const order: string[] = []
  const stop = stopOnSignals({
    logger: createLogger('test', { LOG_LEVEL: 'silent' }),
    hooks: [
      { name: 'http', stop: async () => void order.push('http') },
      {
        name: 'consumer',
        stop: async () => {
          order.push('consumer')
          throw new Error('boom')
        },
      },
      { name: 'producer', stop: async () => void order.push('producer') },
    ],
    exit: () => {},
  })
  t_cleanup()
  assert.equal(await stop(), 1)
  assert.deepEqual(order, ['http', 'consumer', 'producer'])
})

test('a graceful stop that passes its deadline ends with exit code 1', async () => {
  const stop = stopOnSignals({
    logger: createLogger('test', { LOG_LEVEL: 'silent' }),
    hooks: [{ name: 'stuck', stop: () => new Promise(() => {}) }],
    deadlineMs: 50,
    exit: () => {},
  })
  t_cleanup()
  assert.equal(await stop(), 1)
})

/** stopOnSignals installs process signal handlers; tests remove them again. */
function t_cleanup(): void {
  process.removeAllListeners('SIGTERM')
  process.removeAllListeners('SIGINT')
}
