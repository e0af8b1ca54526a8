import { setTimeout as delay } from 'node:timers/promises'
import { catalogEntry, type EventType } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { deadLetterTopicName, ReplayHeader } from '#libs/kafka'
import type { RunningStack } from '../stack.ts'
import { type DemoEvent, demoEvents } from './demo-events.ts'
import { OutputWatcher } from './output-watcher.ts'
import { sumMetric } from './prometheus-text.ts'
import { replayThroughConsole } from './replay-step.ts'

export interface DemoSummary {
  readonly published: Readonly<Record<string, number>>
  readonly rejected: number
  readonly uploadsProcessed: number
  readonly uploadsDeadLettered: number
  readonly ledgerPostings: number
  readonly duplicatePaymentsPosted: number
  readonly securityAlerts: number
  readonly sensorWindows: number
  readonly retried: number
  readonly deadLettered: number
  /** The operator's replay of the dead-letter record through the console, and what became of it. */
  readonly replay?: {
    readonly jobId: string
    readonly status: string
    readonly dryRunCount: number
    readonly replayed: number
    /** The replayed upload was processed again, failed for good again, and is back in the dead-letter topic with its replay count. */
    readonly deadLetteredAgain: boolean
  }
  /** SecurityAlert events the trigger delivered to the demo function (when the stack runs one). */
  readonly function?: {
    readonly invocations: number
    readonly failed: number
    /** Distinct alerts the function accepted (it deduplicates by `ce-id`). */
    readonly accepted: number
    readonly estimatedCostUsd: number
  }
  readonly complete: boolean
}

async function functionUsage(stack: RunningStack): Promise<NonNullable<DemoSummary['function']>> {
  const text = await metricsOf(stack, 'function-trigger')
  const received = await fetch(`${stack.service('demo-function').url}/received`, {
    signal: AbortSignal.timeout(5_000),
  })
    .then((response) => response.json() as Promise<{ accepted: number }>)
    .catch(() => ({ accepted: 0 }))
  const invocations = sumMetric(text, 'eb_trigger_invocations_total')
  return {
    invocations,
    failed: sumMetric(text, 'eb_trigger_failures_total'),
    accepted: received.accepted,
    estimatedCostUsd: sumMetric(text, 'eb_trigger_estimated_cost_usd_total'),
  }
}

async function post(gateway: string, apiKey: string, item: DemoEvent): Promise<boolean> {
  const response = await fetch(`${gateway}/v1/events/${item.eventType}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(item.event),
    signal: AbortSignal.timeout(15_000),
  })
  await response.body?.cancel()
  return response.status === 202
}

async function metricsOf(stack: RunningStack, service: string): Promise<string> {
  try {
    const response = await fetch(`${stack.service(service).url}/metrics`, {
      signal: AbortSignal.timeout(5_000),
    })
    return await response.text()
  } catch {
    return ''
  }
}

/**
 * The demo flow over the running stack: publishes a realistic mix of events through the ingest
 * gateway, follows them to every service's output (and the dead-letter topic), and returns what
 * happened. `say` receives progress lines.
 */
export async function runDemo(
  stack: RunningStack,
  options: { readonly say: (line: string) => void; readonly timeoutMs?: number },
): Promise<DemoSummary> {
  const { say } = options
  const events = demoEvents()
  const serde = new EventSerde(new ConfluentRegistryClient(stack.registry.url))
  const uploadsDlt = deadLetterTopicName('upload-processor', catalogEntry('FileUploadCompleted').topic)
  const watcher = await OutputWatcher.start({
    brokers: stack.kafka.brokers,
    serde,
    topics: ['UploadProcessed', 'LedgerPosting', 'SecurityAlert', 'SensorWindowAggregate'].map(
      (type) => catalogEntry(type as EventType).topic,
    ),
    deadLetters: { [uploadsDlt]: 'FileUploadCompleted' },
  })
  try {
    const gateway = stack.service('ingest-gateway').url
    const published: Record<string, number> = {}
    let rejected = 0
    say(`publishing ${events.length} events through ${gateway} ...`)
    for (const item of events) {
      if (await post(gateway, stack.context.apiKey, item))
        published[item.eventType] = (published[item.eventType] ?? 0) + 1
      else rejected += 1
    }
    say(
      `published ${Object.entries(published)
        .map(([type, count]) => `${count} ${type}`)
        .join(', ')}`,
    )

    const uploads = events.filter((item) => item.eventType === 'FileUploadCompleted')
    const toProcess = new Set(
      uploads.filter((item) => item.expect !== 'dead-lettered').map((item) => item.event.eventId),
    )
    const toDeadLetter = new Set(
      uploads.filter((item) => item.expect === 'dead-lettered').map((item) => item.event.eventId),
    )
    const payments = new Set(
      events
        .filter((item) => item.eventType === 'PaymentConfirmed')
        .map((item) => (item.event as { paymentId: string }).paymentId),
    )
    const sensors = new Set(
      events
        .filter((item) => item.eventType === 'SensorReading')
        .map((item) => (item.event as { sensorId: string }).sensorId),
    )
    const measure = (): Omit<
      DemoSummary,
      'published' | 'rejected' | 'retried' | 'deadLettered' | 'complete'
    > => {
      const processed = watcher
        .on('uploads-processed', 'UploadProcessed')
        .filter((u) => toProcess.has(u.sourceEventId))
      const dead = watcher.on(uploadsDlt, 'FileUploadCompleted').filter((u) => toDeadLetter.has(u.eventId))
      const postings = watcher.on('ledger', 'LedgerPosting').filter((p) => payments.has(p.paymentId))
      const perPayment = new Map<string, number>()
      for (const posting of postings)
        perPayment.set(posting.paymentId, (perPayment.get(posting.paymentId) ?? 0) + 1)
      return {
        uploadsProcessed: new Set(processed.map((u) => u.sourceEventId)).size,
        uploadsDeadLettered: new Set(dead.map((u) => u.eventId)).size,
        ledgerPostings: perPayment.size,
        duplicatePaymentsPosted: [...perPayment.values()].filter((count) => count > 1).length,
        securityAlerts: watcher
          .on('security-alerts', 'SecurityAlert')
          .filter((a) => a.userId === 'user-mallory').length,
        sensorWindows: watcher
          .on('sensor-windows', 'SensorWindowAggregate')
          .filter((w) => sensors.has(w.sensorId)).length,
      }
    }
    const done = (m: ReturnType<typeof measure>) =>
      m.uploadsProcessed === toProcess.size &&
      m.uploadsDeadLettered === toDeadLetter.size &&
      m.ledgerPostings === payments.size &&
      m.securityAlerts > 0 &&
      m.sensorWindows >= sensors.size * 2

    const deadline = Date.now() + (options.timeoutMs ?? 90_000)
    let last = ''
    let now = measure()
    while (!done(now) && Date.now() < deadline) {
      const line =
        `uploads ${now.uploadsProcessed}/${toProcess.size} processed, ${now.uploadsDeadLettered}/${toDeadLetter.size} dead-lettered · ` +
        `ledger ${now.ledgerPostings}/${payments.size} · alerts ${now.securityAlerts} · windows ${now.sensorWindows}`
      if (line !== last) say(line)
      last = line
      await delay(1_000)
      now = measure()
    }
    let replay: DemoSummary['replay']
    const dlqConsole = stack.services.find((service) => service.name === 'dlq-console')
    if (dlqConsole && done(now)) {
      say(`replaying ${uploadsDlt} through the dead-letter console (dry-run first) ...`)
      const outcome = await replayThroughConsole(dlqConsole.url, stack.context.operatorToken, uploadsDlt)
      const replayedBack = async () =>
        watcher.records.some(
          (record) => record.topic === uploadsDlt && record.headers[ReplayHeader.count] !== undefined,
        )
      const until = Date.now() + 30_000
      while (!(await replayedBack()) && Date.now() < until) await delay(500)
      replay = { ...outcome, deadLetteredAgain: await replayedBack() }
      say(
        `replay ${outcome.jobId}: ${outcome.status}, ${outcome.replayed} record(s) to upload-processor's retry topic; ` +
          (replay.deadLetteredAgain
            ? 'it failed for good again and is back in the dead-letter topic with its replay count'
            : 'not back yet'),
      )
    }
    let usage: DemoSummary['function']
    const hasFunction = ['function-trigger', 'demo-function'].every((name) =>
      stack.services.some((service) => service.name === name),
    )
    if (hasFunction && now.securityAlerts > 0) {
      const until = Date.now() + 30_000
      usage = await functionUsage(stack)
      while (usage.accepted < 1 && Date.now() < until) {
        await delay(500)
        usage = await functionUsage(stack)
      }
      say(
        `trigger security-alerts: ${usage.invocations} invocation(s) of the demo function, ${usage.accepted} alert(s) accepted, est. $${usage.estimatedCostUsd.toFixed(8)}`,
      )
    }
    const uploadMetrics = await metricsOf(stack, 'upload-processor')
    const all = await Promise.all(stack.services.map((service) => metricsOf(stack, service.name)))
    return {
      published,
      rejected,
      ...now,
      retried: sumMetric(uploadMetrics, 'eb_consumer_retries_total'),
      deadLettered: all.reduce((sum, text) => sum + sumMetric(text, 'eb_consumer_dead_lettered_total'), 0),
      ...(replay ? { replay } : {}),
      ...(usage ? { function: usage } : {}),
      complete:
        done(now) &&
        (dlqConsole === undefined || (replay?.status === 'done' && replay.deadLetteredAgain)) &&
        (!hasFunction || (usage?.accepted ?? 0) > 0),
    }
  } finally {
    await watcher.stop()
  }
}
