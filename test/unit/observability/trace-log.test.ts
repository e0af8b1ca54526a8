import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { context, trace } from '@opentelemetry/api'
import { traceLogFields } from '#libs/observability'
import { inMemoryTracing } from '../../helpers/tracing.ts'

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
const spanId = '00f067aa0ba902b7'
const active = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: 1, isRemote: true })

test('the log mixin adds nothing outside a span', () => {
  inMemoryTracing()
  assert.deepEqual(traceLogFields(), {})
})

test('the log mixin gives the active span’s trace id, span id and flags', () => {
  assert.deepEqual(
    context.with(active, () => traceLogFields()),
    { trace_id: traceId, span_id: spanId, trace_flags: '01' },
  )
})

test('createLogger’s lines carry trace_id and span_id when logged inside a span, and none outside, with or without fields of their own', () => {
  // createLogger writes to stdout, so it runs in a child process whose output is read back.
  const script = `
    import { context, trace } from '@opentelemetry/api'
    import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
    import { createLogger } from '#libs/observability'
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
    const logger = createLogger('trace-log-test', {})
    const inside = trace.setSpanContext(context.active(), { traceId: '${traceId}', spanId: '${spanId}', traceFlags: 1 })
    context.with(inside, async () => {
      await Promise.resolve()
      logger.info('inside')
    })
    logger.info('outside')
    logger.info({ part: 'kafka' }, 'outside with fields')
    context.with(inside, () => logger.info({ part: 'http' }, 'inside with fields'))
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('../../../', import.meta.url).pathname,
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.equal(run.status, 0, run.stderr)
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  const byMsg = Object.fromEntries(lines.map((line) => [line['msg'], line]))
  assert.equal(byMsg['inside']?.['trace_id'], traceId)
  assert.equal(byMsg['inside']?.['span_id'], spanId)
  assert.equal(byMsg['outside']?.['trace_id'], undefined)
  assert.equal(byMsg['outside']?.['service'], 'trace-log-test')
  // Regression: pino merges a line's fields into the mixin's object; a shared frozen one threw.
  assert.equal(byMsg['outside with fields']?.['part'], 'kafka')
  assert.equal(byMsg['inside with fields']?.['part'], 'http')
  assert.equal(byMsg['inside with fields']?.['trace_id'], traceId)
})
