import { setTimeout as delay } from 'node:timers/promises'

export interface ReplayOutcome {
  readonly jobId: string
  readonly status: string
  readonly replayed: number
}

async function call(
  url: string,
  token: string,
  method: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  })
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(json)}`)
  return json
}

/**
 * Replays a dead-letter topic the way an operator would through the console's HTTP API: a dry-run
 * first, then the job (to the failing group's first retry topic, the default), followed until done.
 */
export async function replayThroughConsole(
  consoleUrl: string,
  operatorToken: string,
  deadLetterTopic: string,
  options: { readonly timeoutMs?: number } = {},
): Promise<ReplayOutcome & { readonly dryRunCount: number }> {
  const body = { topic: deadLetterTopic, selection: {} }
  const dry = await call(`${consoleUrl}/api/replays/dry-run`, operatorToken, 'POST', body)
  const dryRunCount = Number(dry['wouldReplay'] ?? 0)
  const started = await call(`${consoleUrl}/api/replays`, operatorToken, 'POST', body)
  const jobId = String(started['id'])
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    const job = await call(`${consoleUrl}/api/replays/${jobId}`, operatorToken, 'GET')
    const status = String(job['status'])
    if (['done', 'failed', 'cancelled'].includes(status) || Date.now() > deadline) {
      const counts = (job['counts'] ?? {}) as Record<string, unknown>
      return { jobId, status, replayed: Number(counts['replayed'] ?? 0), dryRunCount }
    }
    await delay(300)
  }
}
