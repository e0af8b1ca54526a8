/**
 * The ingest gateway against a fastify hello-world under the same autocannon load, side by side in
 * one run (issue 5: the gateway at least 30% of hello-world; p99 at half its maximum rate).
 *
 *   npm run bench:gateway      (BENCH_SMOKE=1 for a tiny run)
 *
 * Both servers run in one child process (gateway-server.ts); autocannon runs here. Rounds alternate
 * which server goes first; the ratio is taken round by round. The gateway case POSTs one valid
 * SensorReading per request and is answered 202 only after Kafka acknowledged it (acks=all), so
 * its rate includes the broker round trip, batched by the publisher across concurrent requests.
 * Then an evenly paced run (lib/paced-load.ts) at half the gateway's median maximum reports its
 * latency percentiles.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { loadavg } from 'node:os'
import { createInterface } from 'node:readline'
import { cpuProfileFlags, smoke } from './lib/env.ts'
import { pacedLoad } from './lib/paced-load.ts'
import { emitResult } from './lib/report.ts'
import { caseResult, ratio } from './lib/stats.ts'

interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number }
  readonly non2xx: number
  readonly errors: number
  readonly timeouts: number
  readonly '2xx': number
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const ROUNDS = smoke ? 1 : 5
const DURATION_S = smoke ? 2 : 10
const LATENCY_ROUNDS = smoke ? 1 : 3
// Many concurrent clients, as a gateway in front of sensors and services has: every request waits
// one broker round trip for acks=all, so the gateway's rate is connections / latency (Little's law)
// and 64 connections measured the round trip, not the gateway. docs/ingest-gateway.md, "Benchmark".
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 256)
const PIPELINING = Number(process.env['BENCH_PIPELINING'] ?? 1)

// BENCH_CPU_PROF profiles the servers too: they, not the load generator, are what is measured.
const server = spawn(
  process.execPath,
  [...cpuProfileFlags(), new URL('./gateway-server.ts', import.meta.url).pathname],
  { env: process.env, stdio: ['pipe', 'pipe', 'inherit'] },
)
const serverExited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
const deadline = setTimeout(() => {
  process.stderr.write('gateway bench: exceeded 10 minutes\n')
  server.kill('SIGKILL')
  process.exit(1)
}, 600_000)

const loadAtStart = loadavg()[0]!
try {
  const lines = createInterface({ input: server.stdout! })[Symbol.asyncIterator]()
  const first = await lines.next()
  if (first.done) throw new Error('the gateway server exited before it listened')
  const urls = JSON.parse(first.value as string) as { hello: string; gateway: string }
  const publisherStats = async () => {
    server.stdin!.write('stats\n')
    const line = await lines.next()
    if (line.done) throw new Error('the gateway server exited')
    return JSON.parse(line.value as string) as {
      batchesSent: number
      recordsAcknowledged: number
      cpuMicros: number
    }
  }

  const body = JSON.stringify({
    eventId: randomUUID(),
    occurredAt: '2026-11-27T10:18:00.250Z',
    source: 'gateway-bench',
    sensorId: 'sensor-temp-0815',
    kind: 'TEMPERATURE',
    value: 21.375,
    unit: 'Cel',
    location: 'plant-2/line-4',
  })
  // The same reading as a binary-mode CloudEvent: the attributes in ce-* headers, the data as body.
  const ceData = JSON.parse(body) as Record<string, unknown>
  const ceHeaders = {
    'ce-specversion': '1.0',
    'ce-id': String(ceData['eventId']),
    'ce-type': 'dev.eventbackbone.events.SensorReading',
    'ce-source': String(ceData['source']),
    'ce-time': String(ceData['occurredAt']),
  }
  for (const name of ['eventId', 'occurredAt', 'source']) delete ceData[name]
  const targets = {
    hello: { url: `${urls.hello}/` },
    gateway: {
      url: `${urls.gateway}/v1/events/SensorReading`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
      body,
    },
    cloudevents: {
      url: `${urls.gateway}/v1/cloudevents`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key', ...ceHeaders },
      body: JSON.stringify(ceData),
    },
  }
  type Name = keyof typeof targets
  const load = async (name: Name, extra: Record<string, unknown> = {}) => {
    const result = await autocannon({
      ...targets[name],
      connections: CONNECTIONS,
      pipelining: PIPELINING,
      duration: DURATION_S,
      ...extra,
    })
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(
        `${name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
      )
    }
    return result
  }

  // Warm-up (JIT, the publisher's connections, schema registration), not recorded.
  await load('hello', { duration: 1 })
  await load('gateway', { duration: 2 })
  await load('cloudevents', { duration: 2 })
  const rates: Record<Name, number[]> = { hello: [], gateway: [], cloudevents: [] }
  // How the publisher carried the gateway's max-rate runs: records per batch, batch cycles per second.
  const batchSizes: number[] = []
  const batchesPerSecond: number[] = []
  // CPU time of the server process per answered request (the broker and autocannon not included).
  const cpuPerRequest: Record<Name, number[]> = { hello: [], gateway: [], cloudevents: [] }
  const names: Name[] = ['hello', 'gateway', 'cloudevents']
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with the next server, so none always runs first (or last) on a warming machine.
    const order = names.map((_, i) => names[(i + round) % names.length]!)
    for (const name of order) {
      const before = await publisherStats()
      const result = await load(name)
      const after = await publisherStats()
      rates[name].push(result.requests.average)
      cpuPerRequest[name].push((after.cpuMicros - before.cpuMicros) / result.requests.total)
      if (name === 'gateway') {
        const batches = after.batchesSent - before.batchesSent
        batchSizes.push((after.recordsAcknowledged - before.recordsAcknowledged) / batches)
        batchesPerSecond.push(batches / DURATION_S)
      }
    }
  }
  const helloCase = caseResult('fastify hello-world GET / (max rate)', 'req/s', rates.hello)
  const gatewayCase = caseResult(
    'gateway POST SensorReading, 202 after acks=all (max rate)',
    'req/s',
    rates.gateway,
  )
  const cloudEventsCase = caseResult(
    'gateway POST /v1/cloudevents binary mode SensorReading, 202 after acks=all (max rate)',
    'req/s',
    rates.cloudevents,
  )

  const halfRate = Math.max(1, Math.round(gatewayCase.median / 2))
  const p50: number[] = []
  const p99: number[] = []
  const achieved: number[] = []
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    const result = await pacedLoad({
      ...targets.gateway,
      rate: halfRate,
      durationS: DURATION_S,
      connections: CONNECTIONS,
    })
    if (result.failures > 0) throw new Error(`gateway at half rate: ${result.failures} failed requests`)
    p50.push(result.p50)
    p99.push(result.p99)
    achieved.push(result.achieved)
  }
  emitResult({
    bench: 'gateway',
    cases: [
      helloCase,
      gatewayCase,
      cloudEventsCase,
      caseResult(`gateway rate achieved at half max (target ${halfRate} req/s)`, 'req/s', achieved),
      caseResult('gateway p50 latency at half max rate', 'ms', p50),
      caseResult('gateway p99 latency at half max rate', 'ms', p99),
      caseResult('server process CPU per request: hello-world', 'µs', cpuPerRequest.hello),
      caseResult('server process CPU per request: gateway', 'µs', cpuPerRequest.gateway),
      caseResult('server process CPU per request: gateway CloudEvents', 'µs', cpuPerRequest.cloudevents),
      caseResult('gateway max rate: records per produce batch', 'records', batchSizes),
      caseResult(
        'gateway max rate: produce batches per second (one in flight)',
        'batches/s',
        batchesPerSecond,
      ),
    ],
    ratios: [
      ratio('gateway / fastify hello-world', gatewayCase, helloCase, 0.3),
      ratio('gateway CloudEvents binary / fastify hello-world', cloudEventsCase, helloCase, 0.3),
    ],
    notes: [
      `autocannon ${CONNECTIONS} connections, pipelining ${PIPELINING}, ${DURATION_S} s per run, ${ROUNDS} rounds rotating the order after an unrecorded warm-up; both servers in one child process, autocannon in the bench process, on a ${process.env['KAFKA_BROKERS']} broker on the same machine`,
      `the gateway run authenticates (SHA-256 of the key), parses and validates the JSON against the Avro schema, encodes Avro and waits for acks=all through the coalescing publisher (linger ${process.env['BENCH_LINGER_MS'] ?? '0, the gateway default'} ms) before answering 202; the CloudEvents run does the same for a binary-mode CloudEvent (ce-* headers checked and validated by the SDK's strict CloudEvent, attributes mapped to the event) and writes the CloudEvents Kafka headers`,
      `1-minute load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end (the machine is shared; rates above the core count mean the servers and the broker waited for CPU)`,
      `latency: ${halfRate} req/s (half the median max) evenly paced, open loop, over at most ${CONNECTIONS} keep-alive connections, counted from when each request was due; ${LATENCY_ROUNDS} runs of ${DURATION_S} s; every response checked to be 2xx (autocannon's overallRate sends full-speed bursts once a second, so it is not used here)`,
    ],
  })
} finally {
  clearTimeout(deadline)
  server.stdin!.end()
  await serverExited
}
