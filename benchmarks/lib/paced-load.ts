/**
 * An open-loop HTTP load at a steady rate, for latency at a given rate. autocannon's `overallRate`
 * is not that: each connection sends back to back until it has made its share of the second, then
 * waits for the next second, so a "half rate" run is full-speed bursts followed by idle time.
 * Here request i is due at start + i / rate, whatever happened to earlier ones, and its latency is
 * counted from when it was due (a generator or server that falls behind shows up in the latency
 * instead of silently lowering the rate: no coordinated omission).
 */
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'

export interface PacedLoadOptions {
  readonly url: string
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  /** Requests per second, evenly spaced. */
  readonly rate: number
  readonly durationS: number
  /** Keep-alive sockets at most; requests beyond them queue in the agent (and their wait counts). */
  readonly connections: number
}

export interface PacedLoadResult {
  /** Responses per second over the run. */
  readonly achieved: number
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly max: number
  readonly responses: number
  /** Responses other than 2xx, and requests that failed without a response. */
  readonly failures: number
}

export function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const url = new URL(options.url)
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const body = options.body === undefined ? undefined : Buffer.from(options.body)
  const headers = {
    ...options.headers,
    ...(body === undefined ? {} : { 'content-length': String(body.length) }),
  }
  const total = Math.max(1, Math.round(options.rate * options.durationS))
  const intervalMs = 1000 / options.rate
  const latencies: number[] = []
  let failures = 0
  let issued = 0
  let settled = 0

  return new Promise((resolve) => {
    const started = performance.now()
    let lastEnd = started
    const done = () => {
      settled += 1
      if (settled < total) return
      agent.destroy()
      latencies.sort((a, b) => a - b)
      const at = (q: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0
      resolve({
        achieved: (latencies.length * 1000) / (lastEnd - started),
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: latencies.at(-1) ?? 0,
        responses: latencies.length,
        failures,
      })
    }
    const send = (due: number) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: options.method ?? 'GET',
          headers,
        },
        (res) => {
          res.resume()
          res.once('end', () => {
            lastEnd = performance.now()
            latencies.push(lastEnd - due)
            if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) failures += 1
            done()
          })
        },
      )
      req.once('error', () => {
        failures += 1
        done()
      })
      req.end(body)
    }
    // A 1 ms tick issues every request that has come due since the last one.
    const timer = setInterval(() => {
      const now = performance.now()
      while (issued < total && started + issued * intervalMs <= now) {
        send(started + issued * intervalMs)
        issued += 1
      }
      if (issued === total) clearInterval(timer)
    }, 1)
  })
}
