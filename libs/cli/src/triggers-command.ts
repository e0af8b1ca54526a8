import { parseArgs } from 'node:util'
import { UsageError } from '@event-backbone/errors'
import { readStackState } from '../../stack/index.ts'
import { loadTriggers } from '../../triggers/src/config/load.ts'
import type { TriggerStatus } from '../../triggers/src/status.ts'
import { emit } from './output.ts'
import { checkoutRoot } from './up-command.ts'

export const triggersUsage = `usage: backbone triggers <list|status> [--json]
  list [--file PATH]          the triggers of a file (else TRIGGERS_FILE, else triggers.yaml),
                              validated: event types, URL, format, ordering, concurrency, retries
  status [--url URL]          the running function-trigger service's triggers (GET /triggers): ready,
                              invocations by status class, failures, in flight, mean duration,
                              GB-seconds and estimated cost; URL defaults to the local stack's service`

function list(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: { file: { type: 'string' }, json: { type: 'boolean', default: false } },
  })
  const file = loadTriggers(values.file ?? process.env['TRIGGERS_FILE'] ?? 'triggers.yaml')
  const human = [
    `${file.triggers.length} trigger(s) in ${file.path}`,
    ...file.triggers.map(
      (t) =>
        `  ${t.name}: ${t.events.join(', ')} → ${t.url} (${t.format}, ordering ${t.ordering}, concurrency ${t.concurrency}, timeout ${t.timeoutMs} ms, ${t.retry.attempts} retries, tiers ${t.retryTopicsMs.map((ms) => `${ms} ms`).join(', ') || 'none'}${t.secretEnv ? `, signed with $${t.secretEnv}` : ''})`,
    ),
  ].join('\n')
  emit(values.json, file.triggers, human)
  return 0
}

async function serviceUrl(flag: string | undefined): Promise<string> {
  if (flag) return flag.replace(/\/$/, '')
  const state = await readStackState(checkoutRoot())
  const service = state?.services.find((entry) => entry.name === 'function-trigger')
  if (!service)
    throw new UsageError('no local stack runs a function-trigger service; pass --url http://host:port')
  return service.url
}

function statusLine(t: TriggerStatus): string {
  const classes = Object.entries(t.usage.byClass)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ')
  const mean = t.usage.invocations === 0 ? 0 : t.usage.totalDurationMs / t.usage.invocations
  return (
    `  ${t.name} (${t.ready ? 'ready' : 'NOT READY'}, group ${t.group}): ${t.usage.invocations} invocation(s)${classes ? ` [${classes}]` : ''}, ` +
    `${t.usage.failures} failed, ${t.usage.inFlight} in flight, ${t.usage.filtered} filtered, mean ${mean.toFixed(1)} ms, ` +
    `${t.usage.gbSeconds.toFixed(4)} GB-s, est. $${t.usage.estimatedCostUsd.toFixed(6)}`
  )
}

async function status(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { url: { type: 'string' }, json: { type: 'boolean', default: false } },
  })
  const url = await serviceUrl(values.url)
  const response = await fetch(`${url}/triggers`, { signal: AbortSignal.timeout(5_000) }).catch(
    (error: unknown) => {
      throw new UsageError(
        `the function-trigger service at ${url} does not answer: ${(error as Error).message}`,
      )
    },
  )
  if (response.status !== 200) throw new UsageError(`${url}/triggers answered ${response.status}`)
  const { triggers } = (await response.json()) as { triggers: TriggerStatus[] }
  emit(values.json, triggers, [`function-trigger at ${url}`, ...triggers.map(statusLine)].join('\n'))
  return triggers.every((t) => t.ready) ? 0 : 1
}

export async function triggersCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'list') return list(rest)
  if (sub === 'status') return status(rest)
  if (sub === undefined || sub === 'help' || sub === '--help') {
    process.stdout.write(`${triggersUsage}\n`)
    return sub === undefined ? 2 : 0
  }
  throw new UsageError(`unknown triggers command '${sub}'\n${triggersUsage}`)
}
