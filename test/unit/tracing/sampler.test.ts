import assert from 'node:assert/strict'
import { test } from 'node:test'
import { samplerFromEnv, tracingEnabled } from '#libs/tracing'

test('tracing is on only when an OTLP endpoint is set and not switched off', () => {
  assert.equal(tracingEnabled({}), false)
  assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), true)
  assert.equal(
    tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }),
    true,
  )
  assert.equal(
    tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_SDK_DISABLED: 'true' }),
    false,
  )
  assert.equal(
    tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_TRACES_EXPORTER: 'none' }),
    false,
  )
})

test('OTEL_TRACES_SAMPLER picks the specified samplers; the default follows the parent, else samples', () => {
  assert.match(samplerFromEnv({}).toString(), /ParentBased\{root=AlwaysOnSampler/)
  assert.equal(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).toString(), 'AlwaysOffSampler')
  assert.match(
    samplerFromEnv({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    }).toString(),
    /ParentBased\{root=TraceIdRatioBased\{0\.25\}/,
  )
})

test('an unknown sampler or a ratio outside 0..1 is refused, naming the variable', () => {
  assert.throws(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' }), /OTEL_TRACES_SAMPLER "sometimes"/)
  assert.throws(
    () => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }),
    /OTEL_TRACES_SAMPLER_ARG must be a ratio/,
  )
})
