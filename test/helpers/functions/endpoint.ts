import { setTimeout as delay } from 'node:timers/promises'
import type { RuntimeProcess } from './runtime-process.ts'
import type { Behaviour, FunctionEndpoint, Received, RuntimeName, WaitOptions } from './types.ts'

async function control(url: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    signal: AbortSignal.timeout(5_000),
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  })
  const answer = (await response.json()) as { error?: string }
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status}: ${answer.error ?? ''}`)
  return answer
}

/** The test's handle on a running test function, through its /__ control routes. */
export function functionEndpoint(
  runtime: RuntimeName,
  url: string,
  process: RuntimeProcess,
): FunctionEndpoint {
  const received = async () => (await control(`${url}/__received`, 'GET')) as Received[]
  return {
    runtime,
    url,
    pid: process.pid,
    received,
    async waitFor(count: number, options: WaitOptions = {}) {
      const timeoutMs = options.timeoutMs ?? 10_000
      const where = options.where ?? (() => true)
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const all = await received()
        const matching = all.filter(where)
        if (matching.length >= count) return matching
        if (Date.now() >= deadline) {
          const seen = all
            .map((delivery) => `${delivery.id ?? '?'}→${delivery.status ?? 'pending'}`)
            .join(', ')
          throw new Error(
            `${runtime}: ${matching.length} of ${count} matching deliveries after ${timeoutMs} ms; received: ${seen || 'none'}`,
          )
        }
        await delay(25)
      }
    },
    async setBehaviour(behaviour: Behaviour) {
      await control(`${url}/__behaviour`, 'PUT', behaviour)
    },
    async reset() {
      await control(`${url}/__received`, 'DELETE')
    },
    logs: process.logs,
    stop: process.stop,
  }
}

/** For a failed setup step: stops the endpoint, then rethrows. */
export function stopAnd(endpoint: FunctionEndpoint) {
  return async (error: unknown): Promise<never> => {
    await endpoint.stop()
    throw error
  }
}
