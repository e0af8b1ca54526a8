/**
 * Function triggers (issue 13, "Measured"): events per second a trigger delivers to a hello-world
 * function, against the same function driven directly by autocannon in the same run (goal: at
 * least 0.5 for a function runtime's hello world, here Google's Functions Framework; a bare node:http
 * server is measured beside it as the ceiling of what one Node process can be fed), and the
 * publish→function latency (p50/p99) at half the trigger's maximum rate to the node:http function.
 *
 *   npm run bench -- triggers     BENCH_EVENTS (20 000 per round), BENCH_CONCURRENCY (64), BENCH_ORDERING (key)
 *
 * Each function runs in its own process (hello-function.ts, functions/functions-framework.js); autocannon, the publisher and the
 * trigger service (one trigger, binary CloudEvents, key ordering over many keys, unsigned) run
 * here. Each round publishes a backlog of SecurityAlert events while the trigger is stopped,
 * starts it and times the deliveries from the function's first to its last arrival; autocannon POSTs the same body with
 * the same number of connections for a fixed time. Rounds alternate which goes first; the ratio is
 * taken round by round. Latency: `ce-time` is the event's `occurredAt`, set just before publishing.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { EventTypeMap, SecurityAlert } from '@event-backbone/catalog'
import { catalogEncoder, catalogTopicSpecs } from '#libs/events'
import { ensureTopics } from '#libs/kafka'
import { freePort } from '#libs/kafka-local'
import { createPublisher, type Publisher } from '#libs/publisher'
import { parseTriggers, startTriggerService, type TriggerService } from '#libs/triggers'
import { sampleEvents } from '../test/helpers/sample-events.ts'
import { benchBrokers, benchKafka, benchName, smoke } from './lib/env.ts'
import { startBenchRegistry, steadily } from './lib/events.ts'
import { emitResult } from './lib/report.ts'
import { caseResult, quantile, ratio } from './lib/stats.ts'

interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number }
  readonly non2xx: number
  readonly errors: number
  readonly timeouts: number
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const ROUNDS = smoke ? 1 : 3
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? (smoke ? 300 : 20_000))
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 64)
const DIRECT_S = smoke ? 1 : 5
const LATENCY_S = smoke ? 1 : 10
const KEYS = 1_000
const ORDERING = process.env['BENCH_ORDERING'] ?? 'key'

/**
 * The hello-world functions, each in its own process and printing its URL first: plain node:http
 * (the ceiling: as little per request as Node allows) and Google's Functions Framework (a real
 * function runtime, as a deployed Cloud Function runs). Both count deliveries the same way
 * (functions/counting.js).
 */
const frameworkMain = join(
  dirname(fileURLToPath(import.meta.resolve('@google-cloud/functions-framework'))),
  'main.js',
)
const functions = {
  node: {
    label: 'node:http hello function',
    args: [new URL('./hello-function.ts', import.meta.url).pathname],
  },
  'functions-framework': {
    label: 'Functions Framework hello function',
    args: [
      frameworkMain,
      '--target=hello',
      '--signature-type=http',
      `--source=${new URL('./functions/functions-framework.js', import.meta.url).pathname}`,
    ],
  },
} as const
type FunctionName = keyof typeof functions
const processes: ChildProcess[] = []
// A bench that fails before its cleanup (a warm-up that never sees a delivery) still stops its functions.
process.once('exit', () => {
  for (const child of processes) child.kill('SIGTERM')
})

async function startFunction(name: FunctionName): Promise<string> {
  const port = name === 'node' ? undefined : await freePort()
  const child = spawn(process.execPath, [...functions[name].args, ...(port ? [`--port=${port}`] : [])], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  processes.push(child)
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the ${name} function exited ${code}`))),
  )
  if (port === undefined) {
    return Promise.race([
      new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve)),
      exited,
    ])
  }
  child.stdout!.resume()
  const found = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    const ok = await Promise.race([
      fetch(`${found}/stats`).then(
        (response) => response.ok,
        () => false,
      ),
      exited,
    ])
    if (ok) return found
    if (Date.now() > deadline) throw new Error(`the ${name} function did not answer within 20 s`)
    await sleep(100)
  }
}

const urls = {
  node: await startFunction('node'),
  'functions-framework': await startFunction('functions-framework'),
}
/** The function the current measurement drives. */
let url = urls.node
interface Stats {
  count: number
  first: number
  last: number
}
const stats = async (): Promise<Stats> => (await fetch(`${url}/stats`)).json() as Promise<Stats>
const latencies = async (): Promise<number[]> => (await fetch(`${url}/latencies`)).json() as Promise<number[]>
const reset = async () => (await fetch(`${url}/reset`, { method: 'POST' })).text()

const kafka = benchKafka()
const registry = await startBenchRegistry()
const admin = kafka.admin()
await admin.connect()
await ensureTopics(
  admin,
  catalogTopicSpecs().filter((spec) => spec.topic === 'security-alerts'),
)
await admin.disconnect()
const publisher: Publisher<EventTypeMap> = createPublisher({ kafka, encoder: catalogEncoder(registry.serde) })

function alert(): SecurityAlert {
  return {
    ...sampleEvents.SecurityAlert,
    eventId: randomUUID(),
    alertId: randomUUID(),
    occurredAt: new Date(),
    source: runSource,
    userId: `user-${Math.floor(Math.random() * KEYS)}`,
  }
}

const groupPrefix = `${benchName('bench-trigger')}-`
const runSource = benchName('triggers-bench')

/** The trigger service; its group (the same for the whole run) resumes where it stopped. */
async function startTrigger(): Promise<TriggerService> {
  const yaml = `triggers:
  - name: bench
    events: [SecurityAlert]
    url: ${url}/
    format: binary
    ordering: ${ORDERING}
    concurrency: ${CONCURRENCY}
    timeout: 10s
    startFrom: earliest
    retryTopics: []
    filter: { exact: { data.source: ${runSource} } }
`
  const service = await startTriggerService({
    kafka,
    triggers: parseTriggers(yaml).triggers,
    env: {
      KAFKA_BROKERS: benchBrokers().join(','),
      SCHEMA_REGISTRY_URL: registry.url,
      LOG_LEVEL: 'warn',
      TRIGGER_GROUP_PREFIX: groupPrefix,
    },
    group: { consumer: { maxWaitTimeInMs: 100 } },
  })
  return service
}

async function waitDelivered(count: number, timeoutMs: number): Promise<Stats> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const now = await stats()
    if (now.count >= count) return now
    if (Date.now() > deadline)
      throw new Error(`only ${now.count} of ${count} deliveries within ${timeoutMs} ms`)
    await sleep(100)
  }
}

async function publishAll(count: number): Promise<void> {
  const sends: Array<Promise<unknown>> = []
  for (let i = 0; i < count; i++) sends.push(publisher.publish('SecurityAlert', alert()))
  await Promise.all(sends)
}

/**
 * A backlog of EVENTS published while the trigger is stopped, then delivered: the rate is taken from
 * the function's first to its last arrival, so neither publishing nor the group's join counts.
 */
async function triggerRound(): Promise<number> {
  await publishAll(EVENTS)
  await reset()
  const service = await startTrigger()
  try {
    const done = await waitDelivered(EVENTS, 180_000)
    return ((done.count - 1) * 1000) / Math.max(1, done.last - done.first)
  } finally {
    await service.stop()
    await reset()
  }
}

async function directRound(): Promise<number> {
  // The body a binary-mode delivery carries, with its ce- headers.
  const event = alert()
  const result = await autocannon({
    url: `${url}/`,
    method: 'POST',
    connections: CONCURRENCY,
    duration: DIRECT_S,
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': event.eventId,
      'ce-type': 'SecurityAlert',
      'ce-source': event.source,
    },
    body: JSON.stringify(event),
  })
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(
      `autocannon: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    )
  await reset()
  return result.requests.average
}

// A first delivery commits the group's position, so each round's backlog starts after it.
{
  const warm = await startTrigger()
  await reset()
  await publishAll(1)
  await waitDelivered(1, 60_000)
  await warm.stop()
}
let service: TriggerService | undefined
try {
  const measured: Record<FunctionName, { trigger: number[]; direct: number[] }> = {
    node: { trigger: [], direct: [] },
    'functions-framework': { trigger: [], direct: [] },
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['direct', 'trigger'] as const) : (['trigger', 'direct'] as const)
    for (const fn of Object.keys(functions) as FunctionName[]) {
      url = urls[fn]
      for (const name of order)
        measured[fn][name].push(name === 'trigger' ? await triggerRound() : await directRound())
    }
  }
  const cases = (fn: FunctionName) => ({
    trigger: caseResult(`trigger → ${functions[fn].label}`, 'events/s', measured[fn].trigger),
    direct: caseResult(`autocannon → ${functions[fn].label}`, 'requests/s', measured[fn].direct),
  })
  const framework = cases('functions-framework')
  const { trigger, direct } = cases('node')
  url = urls.node

  // Latency at half the trigger's median maximum, evenly paced.
  const rate = Math.max(10, Math.round(trigger.median / 2))
  const p50s: number[] = []
  const p99s: number[] = []
  service = await startTrigger()
  for (let round = 0; round < ROUNDS; round++) {
    await reset()
    const count = rate * LATENCY_S
    await steadily(count, rate, () => publisher.publish('SecurityAlert', alert()))
    await waitDelivered(count, 60_000)
    const measured = await latencies()
    p50s.push(quantile(measured, 0.5))
    p99s.push(quantile(measured, 0.99))
  }
  emitResult({
    bench: 'triggers',
    cases: [
      framework.trigger,
      framework.direct,
      trigger,
      direct,
      caseResult(`publish → function p50 at ${rate} events/s`, 'ms', p50s),
      caseResult(`publish → function p99 at ${rate} events/s`, 'ms', p99s),
    ],
    ratios: [
      ratio(
        'trigger / autocannon (same Functions Framework function)',
        framework.trigger,
        framework.direct,
        0.5,
      ),
      ratio('trigger / autocannon (same node:http function, the ceiling)', trigger, direct),
    ],
    notes: [
      `${EVENTS} SecurityAlert events per round over ${KEYS} keys, trigger concurrency ${CONCURRENCY} (${ORDERING} ordering, binary CloudEvents, unsigned), autocannon ${CONCURRENCY} connections for ${DIRECT_S} s; ${ROUNDS} rounds, alternating.`,
      `Latency: ${LATENCY_S} s at ${rate} events/s (half the trigger's median maximum), from occurredAt (set just before publish) to the function's arrival; publisher, trigger and autocannon share this process, the function runs in its own.`,
    ],
  })
} finally {
  await service?.stop()
  await publisher.close()
  await registry.close()
  for (const child of processes) child.kill('SIGTERM')
}
