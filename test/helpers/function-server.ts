import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'

export interface Received {
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly at: number
  /** 1 for the first request with this `webhook-id`/`ce-id`/body, 2 for the next, ... */
  readonly attempt: number
}

export interface Reply {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly delayMs?: number
  readonly body?: string
}

/**
 * A small node:http function for trigger tests: records every request and answers what `behave`
 * says for it (status, headers, a delay to provoke timeouts). Closed when the test ends.
 */
export async function startFunction(
  t: TestContext,
  behave: (request: Received) => Reply | undefined = () => undefined,
) {
  const received: Received[] = []
  const attempts = new Map<string, number>()
  let inFlight = 0
  let maxInFlight = 0
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const id = String(request.headers['webhook-id'] ?? request.headers['ce-id'] ?? body)
    const attempt = (attempts.get(id) ?? 0) + 1
    attempts.set(id, attempt)
    const entry = { headers: request.headers, body, at: Date.now(), attempt }
    received.push(entry)
    inFlight += 1
    maxInFlight = Math.max(maxInFlight, inFlight)
    const reply = behave(entry) ?? {}
    try {
      if (reply.delayMs) await delay(reply.delayMs)
      if (response.destroyed) return
      response.writeHead(reply.status ?? 200, { 'content-type': 'text/plain', ...reply.headers })
      response.end(reply.body ?? 'ok')
    } finally {
      inFlight -= 1
    }
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    maxInFlight: () => maxInFlight,
  }
}
