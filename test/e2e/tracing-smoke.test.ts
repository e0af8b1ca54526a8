// Proves one trace follows a payment from the gateway's HTTP request through the publish to the ledger's processing, exported over OTLP to a real Jaeger, and that each service's log lines carry that trace's ids.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { type TestContext, test } from 'node:test'
import { catalogTopicSpecs } from '#libs/events'
import { hashApiKey } from '#libs/ingest'
import { ensureTopics } from '#libs/kafka'
import { type JaegerSpan, type JaegerTrace, startJaeger } from '../helpers/jaeger.ts'
import { testAdmin, testBrokers, testKafka, uniqueName, waitFor } from '../helpers/kafka.ts'
import { sharedRegistryUrl } from '../helpers/registry.ts'

const root = new URL('../../', import.meta.url).pathname
type LogLine = Record<string, unknown>

/** A service main as a child process; its JSON log lines are collected, and it is killed at the end. */
function startService(
  t: TestContext,
  main: string,
  env: NodeJS.ProcessEnv,
): { logs: LogLine[]; child: ChildProcess } {
  const child = spawn(process.execPath, [`${root}${main}`], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const logs: LogLine[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as LogLine)
    } catch {
      logs.push({ notJson: line })
    }
  })
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())])
    child.kill('SIGKILL')
  })
  return { logs, child }
}

const logged = (logs: LogLine[], msg: string) =>
  waitFor(() => logs.find((log) => log['msg'] === msg), {
    description: `the log line "${msg}"`,
    timeoutMs: 60_000,
  })

function tag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((entry) => entry.key === key)?.value
}

function parentOf(span: JaegerSpan): string | undefined {
  return span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID
}

test('a payment posted to the gateway with a traceparent is one trace in Jaeger: HTTP server span → publish span → ledger process span, and the log lines carry its ids', async (t) => {
  const jaeger = await startJaeger(t)
  const kafka = testKafka()
  await ensureTopics(await testAdmin(t, kafka), catalogTopicSpecs())
  const groupId = uniqueName('ledger-tracing')
  t.after(async () => {
    const admin = kafka.admin()
    await admin.connect()
    const owned = (await admin.listTopics()).filter((topic) => topic.startsWith(`${groupId}.`))
    if (owned.length > 0) await admin.deleteTopics({ topics: owned }).catch(() => {})
    await admin.disconnect()
  })
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: testBrokers().join(','),
    SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
    SERVICE_PORT: '0',
    LOG_LEVEL: 'debug',
    KAFKA_LOG_LEVEL: 'nothing',
    OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint,
    // Export within a fraction of a second instead of the default 5 s batches.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  }
  const ledger = startService(t, 'services/payments-ledger/main.ts', { ...env, CONSUMER_GROUP: groupId })
  const secret = randomUUID()
  const gateway = startService(t, 'services/ingest-gateway/main.ts', {
    ...env,
    INGEST_API_KEYS: `tracing-test:${hashApiKey(secret)}:PaymentConfirmed`,
  })
  const gatewayUrl = (await logged(gateway.logs, 'ingest gateway listening'))['url'] as string
  const ledgerUrl = (await logged(ledger.logs, 'service started'))['url'] as string
  for (const url of [gatewayUrl, ledgerUrl]) {
    await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, {
      description: `${url}/readyz 200`,
      timeoutMs: 60_000,
    })
  }

  const traceId = randomBytes(16).toString('hex')
  const callerSpanId = randomBytes(8).toString('hex')
  const eventId = randomUUID()
  const response = await fetch(`${gatewayUrl}/v1/events/PaymentConfirmed`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${secret}`,
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    },
    body: JSON.stringify({
      eventId,
      occurredAt: new Date().toISOString(),
      source: 'tracing-test',
      paymentId: randomUUID(),
      payerAccountId: 'acct-payer-0001',
      payeeAccountId: 'acct-payee-0002',
      amountMinor: 4200,
      currency: 'EUR',
      method: 'CARD',
      providerReference: 'pi_tracing',
      description: 'tracing smoke',
    }),
  })
  assert.equal(response.status, 202, await response.text())
  const posted = await waitFor(
    () => ledger.logs.find((log) => log['msg'] === 'payment posted' && log['eventId'] === eventId),
    { description: 'the ledger posting the payment', timeoutMs: 60_000 },
  )

  const service = (trace: JaegerTrace, span: JaegerSpan) => trace.processes[span.processID]?.serviceName
  const find = (trace: JaegerTrace, name: string, operation: string) =>
    trace.spans.find((span) => service(trace, span) === name && span.operationName === operation)
  const trace = await waitFor(
    async () => {
      const found = await jaeger.trace(traceId)
      return found && find(found, 'payments-ledger', 'process payments') ? found : undefined
    },
    {
      description: `trace ${traceId} with the ledger's process span in Jaeger`,
      timeoutMs: 30_000,
      intervalMs: 250,
    },
  )

  const http = find(trace, 'ingest-gateway', 'POST /v1/events/:eventType')
  const send = find(trace, 'ingest-gateway', 'send payments')
  const processSpan = find(trace, 'payments-ledger', 'process payments')
  const names = trace.spans.map((span) => `${service(trace, span)}:${span.operationName}`)
  assert.ok(http && send && processSpan, `gateway, publish and process spans in ${JSON.stringify(names)}`)
  assert.equal(parentOf(http), callerSpanId, 'the HTTP span continues the caller’s traceparent')
  assert.equal(parentOf(send), http.spanID, 'the publish span is a child of the HTTP span')
  assert.equal(parentOf(processSpan), send.spanID, 'the process span is a child of the publish span')
  assert.equal(tag(http, 'http.response.status_code'), 202)
  assert.equal(tag(http, 'http.route'), '/v1/events/:eventType')
  for (const [key, value] of Object.entries({
    'messaging.system': 'kafka',
    'messaging.destination.name': 'payments',
    'messaging.operation.type': 'send',
    'span.kind': 'producer',
  })) {
    assert.equal(tag(send, key), value, `publish span ${key}`)
  }
  for (const [key, value] of Object.entries({
    'messaging.system': 'kafka',
    'messaging.destination.name': 'payments',
    'messaging.operation.type': 'process',
    'messaging.consumer.group.name': groupId,
    'span.kind': 'consumer',
  })) {
    assert.equal(tag(processSpan, key), value, `process span ${key}`)
  }
  assert.equal(
    String(tag(send, 'messaging.kafka.offset')),
    String(tag(processSpan, 'messaging.kafka.offset')),
  )
  assert.equal(
    tag(send, 'messaging.destination.partition.id'),
    tag(processSpan, 'messaging.destination.partition.id'),
  )

  // The log lines written inside the spans carry their ids.
  const published = gateway.logs.find((log) => log['msg'] === 'event published' && log['eventId'] === eventId)
  assert.equal(published?.['trace_id'], traceId, JSON.stringify(published))
  assert.equal(published?.['span_id'], http.spanID)
  assert.equal(posted['trace_id'], traceId, JSON.stringify(posted))
  assert.equal(posted['span_id'], processSpan.spanID)
})
