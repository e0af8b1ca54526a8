import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { createLogger, kafkaLogCreator } from '#libs/observability'

function capture() {
  const written: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) written.push(JSON.parse(line))
      done()
    },
  })
  return { logger: createLogger('svc', { LOG_LEVEL: 'debug' }, stream), written }
}

test("a kafkajs client's log lines go through pino with their namespace and mapped level", () => {
  const { logger, written } = capture()
  const kafka = new Kafka({
    brokers: ['127.0.0.1:1'],
    logLevel: logLevel.DEBUG,
    logCreator: kafkaLogCreator(logger),
  })
  const log = kafka.logger().namespace('Consumer')
  log.error('join failed', { groupId: 'g', sasl: { password: 'pw' } })
  log.warn('slow')
  log.info('joined')
  log.debug('fetch')
  assert.deepEqual(
    written.map((line) => [
      line['level'],
      line['msg'],
      line['namespace'],
      line['component'],
      line['service'],
    ]),
    [
      [50, 'join failed', 'Consumer', 'kafkajs', 'svc'],
      [40, 'slow', 'Consumer', 'kafkajs', 'svc'],
      [30, 'joined', 'Consumer', 'kafkajs', 'svc'],
      [20, 'fetch', 'Consumer', 'kafkajs', 'svc'],
    ],
  )
  assert.equal(written[0]?.['groupId'], 'g', 'kafkajs fields are kept')
  assert.deepEqual(written[0]?.['sasl'], { password: '[Redacted]' }, 'and redacted like every line')
})

test('a failed connection is logged by kafkajs as an error of its Connection namespace, in JSON through pino', async () => {
  const { logger, written } = capture()
  const kafka = new Kafka({
    brokers: ['127.0.0.1:1'],
    connectionTimeout: 500,
    retry: { retries: 0 },
    logLevel: logLevel.ERROR,
    logCreator: kafkaLogCreator(logger),
  })
  const admin = kafka.admin()
  await assert.rejects(admin.connect())
  const connection = written.find((line) => line['namespace'] === 'Connection')
  assert.ok(connection, `a Connection line among ${JSON.stringify(written)}`)
  assert.equal(connection['level'], 50)
  assert.equal(connection['component'], 'kafkajs')
  assert.equal(connection['broker'], '127.0.0.1:1')
})
