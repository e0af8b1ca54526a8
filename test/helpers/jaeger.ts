import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { freePort } from '#libs/kafka-local'
import { waitFor } from './kafka.ts'

const root = new URL('../../', import.meta.url).pathname

/** The Jaeger binary, built into the cache by scripts/ensure-jaeger.sh (at once when it is there). */
export function jaegerBinary(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [join(root, 'scripts/ensure-jaeger.sh')],
      { timeout: 40 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`scripts/ensure-jaeger.sh failed: ${error.message}\n${stderr}`))
        else resolve(stdout.trim().split('\n').at(-1)!)
      },
    )
  })
}

/** Jaeger's all-in-one shape (memory storage, OTLP in, query API out), every port a free one. */
function config(ports: { otlp: number; query: number; queryGrpc: number }): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${ports.query}
    grpc:
      endpoint: 127.0.0.1:${ports.queryGrpc}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlp}
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`
}

export interface JaegerSpan {
  readonly traceID: string
  readonly spanID: string
  readonly operationName: string
  readonly processID: string
  readonly references: ReadonlyArray<{ refType: string; traceID: string; spanID: string }>
  readonly tags: ReadonlyArray<{ key: string; value: unknown }>
  readonly logs: ReadonlyArray<{ fields: ReadonlyArray<{ key: string; value: unknown }> }>
}
export interface JaegerTrace {
  readonly traceID: string
  readonly spans: readonly JaegerSpan[]
  readonly processes: Readonly<Record<string, { serviceName: string }>>
}

export interface Jaeger {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT (OTLP http/protobuf). */
  readonly otlpEndpoint: string
  readonly queryUrl: string
  /** The trace as Jaeger's query API returns it, or undefined while it holds no span of it. */
  trace(traceId: string): Promise<JaegerTrace | undefined>
}

/** Starts a real Jaeger for the test; it is stopped (and its config removed) when the test ends. */
export async function startJaeger(t: TestContext): Promise<Jaeger> {
  const binary = await jaegerBinary()
  const ports = { otlp: await freePort(), query: await freePort(), queryGrpc: await freePort() }
  const dir = await mkdtemp(join(tmpdir(), 'eb-jaeger-'))
  const file = join(dir, 'jaeger.yaml')
  await writeFile(file, config(ports))
  const output: string[] = []
  const child: ChildProcess = spawn(binary, ['--config', file], { stdio: ['ignore', 'pipe', 'pipe'] })
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  }
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())])
      child.kill('SIGKILL')
    }
    await rm(dir, { recursive: true, force: true })
  })
  const queryUrl = `http://127.0.0.1:${ports.query}`
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`jaeger exited ${child.exitCode}:\n${output.join('')}`)
      return (await fetch(`${queryUrl}/api/services`).catch(() => undefined))?.ok
    },
    { description: 'the Jaeger query API', timeoutMs: 30_000, intervalMs: 200 },
  )
  return {
    otlpEndpoint: `http://127.0.0.1:${ports.otlp}`,
    queryUrl,
    async trace(traceId) {
      const response = await fetch(`${queryUrl}/api/traces/${traceId}`)
      if (response.status === 404) return undefined
      if (!response.ok)
        throw new Error(`GET /api/traces/${traceId}: ${response.status} ${await response.text()}`)
      const body = (await response.json()) as { data?: JaegerTrace[] }
      return body.data?.[0]
    },
  }
}
