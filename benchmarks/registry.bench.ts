/**
 * Lookups by id are served from memory: requests/s of `GET /schemas/ids/{id}` on the embedded
 * registry next to a fastify hello-world route in the same process, both over keep-alive HTTP.
 * Prints one JSON object. Uses KAFKA_BROKERS when set, else starts a local broker (~5 s).
 *
 *   npm run bench:registry            BENCH_SECONDS=5 BENCH_CONCURRENCY=32 by default
 */

import { randomBytes } from 'node:crypto'
import { Agent, request } from 'node:http'
import Fastify from 'fastify'
import { Kafka, logLevel } from 'kafkajs'
import { provideKafka } from '#libs/kafka-local'
import { startSchemaRegistry } from '#libs/schema-registry'

const seconds = Number(process.env['BENCH_SECONDS'] ?? 5)
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 32)
const schemaCount = 100

interface Result {
  readonly requests: number
  readonly requestsPerSecond: number
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
async function load(base: string, paths: readonly string[], durationMs: number): Promise<Result> {
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
  const at = (q: number) => Number((latencies[Math.floor(q * (latencies.length - 1))] ?? 0).toFixed(3))
  return {
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
  }
}

const kafka = await provideKafka()
const topic = `_schemas-bench-${randomBytes(4).toString('hex')}`
const registry = await startSchemaRegistry({ brokers: kafka.brokers, port: 0, topic })
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
  await load(registry.url, ids, 1_000)
  await load(helloUrl, ['/hello'], 1_000)
  const registryResult = await load(registry.url, ids, seconds * 1_000)
  const helloResult = await load(helloUrl, ['/hello'], seconds * 1_000)
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'registry-lookup-by-id',
        node: process.version,
        secondsPerTarget: seconds,
        concurrency,
        schemas: schemaCount,
        registryGetSchemaById: registryResult,
        fastifyHelloWorld: helloResult,
        registryToHelloRatio: Number(
          (registryResult.requestsPerSecond / helloResult.requestsPerSecond).toFixed(3),
        ),
      },
      null,
      2,
    )}\n`,
  )
} finally {
  await hello.close()
  await registry.close()
  const admin = new Kafka({ brokers: [...kafka.brokers], logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  await admin.deleteTopics({ topics: [topic] }).catch(() => {})
  await admin.disconnect()
  await kafka.stop()
}
