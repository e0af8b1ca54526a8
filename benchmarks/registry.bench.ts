/**
 * Lookups by id are served from memory: requests/s of `GET /schemas/ids/{id}` on the embedded
 * registry next to a fastify hello-world route in the same process, both over keep-alive HTTP
 * with the same closed-loop load, alternating round by round. The registry stores its schemas on
 * a bench-only topic of the runner's broker.
 *
 *   npm run bench:registry      BENCH_SECONDS (default 3) per target and round, BENCH_CONCURRENCY (32)
 */
import { Agent, request } from 'node:http'
import Fastify from 'fastify'
import { startSchemaRegistry } from '#libs/schema-registry'
import { benchBrokers, benchKafka, benchName, deleteBenchTopics, smoke } from './lib/env.ts'
import { emitResult } from './lib/report.ts'
import { caseResult, ratio } from './lib/stats.ts'

const seconds = Number(process.env['BENCH_SECONDS'] ?? (smoke ? 0.5 : 3))
const rounds = smoke ? 1 : 5
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 32)
const schemaCount = smoke ? 10 : 100

interface Load {
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly errors: number
}

function get(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, headers: { accept: 'application/vnd.schemaregistry.v1+json' } },
      (res) => {
        res.resume()
        res.once('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.once('error', reject)
    req.end()
  })
}

/** Closed-loop load: `concurrency` workers, each sending its next request when the last one answered. */
async function load(base: string, paths: readonly string[], durationMs: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies: number[] = []
  let errors = 0
  let next = 0
  const end = performance.now() + durationMs
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const path = paths[next++ % paths.length]!
        const t0 = performance.now()
        const status = await get(agent, new URL(path, base)).catch(() => 0)
        latencies.push(performance.now() - t0)
        if (status !== 200) errors++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))] ?? 0
  return { perSecond: latencies.length / elapsed, p50Ms: at(0.5), p99Ms: at(0.99), errors }
}

const topic = benchName('_schemas-bench')
const registry = await startSchemaRegistry({ brokers: benchBrokers(), port: 0, topic })
const hello = Fastify({ logger: false })
hello.get('/hello', async () => ({ hello: 'world' }))
await hello.listen({ host: '127.0.0.1', port: 0 })
const helloAddress = hello.server.address()
const helloUrl = `http://127.0.0.1:${typeof helloAddress === 'object' && helloAddress ? helloAddress.port : 0}`

try {
  const ids: string[] = []
  for (let i = 0; i < schemaCount; i++) {
    const schema = JSON.stringify({ type: 'record', name: `Bench${i}`, fields: [{ name: 'f', type: 'int' }] })
    const response = await fetch(`${registry.url}/subjects/bench-${i}-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema }),
    })
    const { id } = (await response.json()) as { id: number }
    ids.push(`/schemas/ids/${id}`)
  }
  // Warm both servers (JIT, sockets) before measuring.
  await load(registry.url, ids, smoke ? 200 : 1_000)
  await load(helloUrl, ['/hello'], smoke ? 200 : 1_000)
  const runs = { registry: [] as Load[], hello: [] as Load[] }
  for (let round = 0; round < rounds; round++) {
    runs.registry.push(await load(registry.url, ids, seconds * 1_000))
    runs.hello.push(await load(helloUrl, ['/hello'], seconds * 1_000))
  }
  const errors = [...runs.registry, ...runs.hello].reduce((sum, run) => sum + run.errors, 0)
  if (errors > 0) throw new Error(`${errors} requests failed`)
  const registryRate = caseResult(
    'registry GET /schemas/ids/{id}',
    'req/s',
    runs.registry.map((r) => r.perSecond),
  )
  const helloRate = caseResult(
    'fastify hello-world',
    'req/s',
    runs.hello.map((r) => r.perSecond),
  )
  emitResult({
    bench: 'registry',
    cases: [
      registryRate,
      helloRate,
      caseResult(
        'registry p50 latency',
        'ms',
        runs.registry.map((r) => r.p50Ms),
      ),
      caseResult(
        'registry p99 latency',
        'ms',
        runs.registry.map((r) => r.p99Ms),
      ),
      caseResult(
        'hello-world p50 latency',
        'ms',
        runs.hello.map((r) => r.p50Ms),
      ),
      caseResult(
        'hello-world p99 latency',
        'ms',
        runs.hello.map((r) => r.p99Ms),
      ),
    ],
    ratios: [ratio('registry lookups / hello-world', registryRate, helloRate)],
    notes: [
      `${rounds} alternating rounds of ${seconds} s per target after 1 s warm-ups, ${concurrency} keep-alive connections in a closed loop from the same process, ${schemaCount} schemas looked up in turn`,
    ],
  })
} finally {
  await hello.close()
  await registry.close()
  await deleteBenchTopics(benchKafka(), [topic])
}
