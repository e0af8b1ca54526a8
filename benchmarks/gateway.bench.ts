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
 * Then a fixed-rate run at half the gateway's median maximum reports its latency percentiles.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { loadavg } from 'node:os'
import { createInterface } from 'node:readline'
import { smoke } from './lib/env.ts'
import { emitResult } from './lib/report.ts'
import { caseResult, ratio } from './lib/stats.ts'

interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number }
  readonly latency: { readonly p50: number; readonly p99: number; readonly average: number }
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
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 64)
const PIPELINING = Number(process.env['BENCH_PIPELINING'] ?? 1)

const server = spawn(process.execPath, [new URL('./gateway-server.ts', import.meta.url).pathname], {
  env: process.env,
  stdio: ['pipe', 'pipe', 'inherit'],
})
const serverExited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
const deadline = setTimeout(() => {
  process.stderr.write('gateway bench: exceeded 10 minutes\n')
  server.kill('SIGKILL')
  process.exit(1)
}, 600_000)

const loadAtStart = loadavg()[0]!
try {
  const first = await createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next()
  if (first.done) throw new Error('the gateway server exited before it listened')
  const urls = JSON.parse(first.value as string) as { hello: string; gateway: string }

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
  const targets = {
    hello: { url: `${urls.hello}/` },
    gateway: {
      url: `${urls.gateway}/v1/events/SensorReading`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
      body,
    },
  }
  type Name = keyof typeof targets
  const load = async (name: Name, extra: Record<string, unknown> = {}) => {
    const result = await autocannon({
      ...targets[name],
      connections: CONNECTIONS,
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
  const rates: Record<Name, number[]> = { hello: [], gateway: [] }
  for (let round = 0; round < ROUNDS; round++) {
    const order: Name[] = round % 2 === 0 ? ['hello', 'gateway'] : ['gateway', 'hello']
    for (const name of order) rates[name].push((await load(name)).requests.average)
  }
  const helloCase = caseResult('fastify hello-world GET / (max rate)', 'req/s', rates.hello)
  const gatewayCase = caseResult(
    'gateway POST SensorReading, 202 after acks=all (max rate)',
    'req/s',
    rates.gateway,
  )

  const halfRate = Math.max(1, Math.round(gatewayCase.median / 2))
  const p50: number[] = []
  const p99: number[] = []
  const achieved: number[] = []
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    const result = await load('gateway', { overallRate: halfRate })
    p50.push(result.latency.p50)
    p99.push(result.latency.p99)
    achieved.push(result.requests.average)
  }
  emitResult({
    bench: 'gateway',
    cases: [
      helloCase,
      gatewayCase,
      caseResult(`gateway rate achieved at half max (target ${halfRate} req/s)`, 'req/s', achieved),
      caseResult('gateway p50 latency at half max rate', 'ms', p50),
      caseResult('gateway p99 latency at half max rate', 'ms', p99),
    ],
    ratios: [ratio('gateway / fastify hello-world', gatewayCase, helloCase, 0.3)],
    notes: [
      `autocannon ${CONNECTIONS} connections, pipelining ${PIPELINING}, ${DURATION_S} s per run, ${ROUNDS} rounds alternating order after an unrecorded warm-up; both servers in one child process, autocannon in the bench process, on a ${process.env['KAFKA_BROKERS']} broker on the same machine`,
      `the gateway run authenticates (SHA-256 of the key), parses and validates the JSON against the Avro schema, encodes Avro and waits for acks=all through the coalescing publisher (linger ${process.env['BENCH_LINGER_MS'] ?? '0, the gateway default'} ms) before answering 202`,
      `1-minute load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end (the machine is shared; rates above the core count mean the servers and the broker waited for CPU)`,
      `latency: autocannon overallRate ${halfRate} req/s (half the median max), ${LATENCY_ROUNDS} runs; every response checked to be 2xx`,
    ],
  })
} finally {
  clearTimeout(deadline)
  server.stdin!.end()
  await serverExited
}
