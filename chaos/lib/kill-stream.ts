import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import type { EventType } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { registryService } from '#libs/stack'
import { ChaosCluster } from './cluster.ts'
import { randomBetween, report, say, smoke } from './scenario.ts'

export interface KillStreamOptions {
  readonly scenario: string
  /** The consumer service under test, SIGKILLed and restarted. */
  readonly service: string
  readonly inputType: EventType
  /** A fresh valid event (as JSON for the gateway) and the key the output must carry once. */
  readonly makeEvent: () => { readonly body: Record<string, unknown>; readonly key: string }
  readonly outputTopic: string
  readonly outputType: EventType
  readonly keyOfOutput: (value: Record<string, unknown>) => string
  /** Exactly-once: a key seen twice fails the scenario. At-least-once: duplicates are only counted. */
  readonly duplicatesFail: boolean
}

interface PostOutcome {
  readonly published: boolean
  readonly attempts: number
  readonly status: number | string
}

/** POSTs until a 202, retrying 503s and network errors with the same eventId, within a bound. */
async function postUntilAccepted(
  url: string,
  apiKey: string,
  body: unknown,
  boundMs: number,
): Promise<PostOutcome> {
  const deadline = Date.now() + boundMs
  let attempts = 0
  let status: number | string = 'none'
  while (Date.now() < deadline) {
    attempts += 1
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      })
      await response.body?.cancel()
      status = response.status
      if (response.status === 202) return { published: true, attempts, status }
      if (response.status !== 503 && response.status !== 502) return { published: false, attempts, status }
    } catch (error) {
      status = (error as Error).name
    }
    await delay(Math.min(2_000, 100 * 2 ** Math.min(attempts, 5)))
  }
  return { published: false, attempts, status }
}

/**
 * A steady stream of events through the gateway into one consumer service while that service is
 * SIGKILLed at random moments and the broker is restarted once; then its output, read
 * read_committed, must hold every accepted event (and, for exactly-once, each only once).
 */
export async function runKillStream(options: KillStreamOptions): Promise<void> {
  const started = Date.now()
  const log = (line: string) => say(options.scenario, line)
  const total = smoke ? 60 : 1_200
  const ratePerSecond = smoke ? 15 : 25
  const kills = smoke ? 1 : 5
  const workers = 4
  const problems: string[] = []
  const cluster = await ChaosCluster.start(['ingest-gateway', options.service])
  log(`cluster up at ${cluster.brokers.join(',')} (${Math.round((Date.now() - started) / 1000)} s)`)
  const published = new Set<string>()
  const unconfirmed = new Set<string>()
  const rejected: string[] = []
  let retries = 0
  let crashedByThemselves = 0
  const killTimesMs: number[] = []
  let brokerDowntimeMs = 0
  let killsMidStream = 0
  try {
    const gateway = `${cluster.url('ingest-gateway')}/v1/events/${options.inputType}`
    let next = 0
    const streamStarted = Date.now()
    const worker = async () => {
      for (;;) {
        const index = next++
        if (index >= total) return
        // Steady pacing: event i is not sent before i / rate seconds into the stream.
        const due = streamStarted + (index / ratePerSecond) * 1000
        if (due > Date.now()) await delay(due - Date.now())
        const event = options.makeEvent()
        const outcome = await postUntilAccepted(gateway, cluster.apiKey, event.body, 120_000)
        retries += outcome.attempts - 1
        if (outcome.published) published.add(event.key)
        else if (typeof outcome.status === 'number' && outcome.status < 500 && outcome.status >= 400)
          rejected.push(`${event.key}: ${outcome.status}`)
        else unconfirmed.add(event.key)
      }
    }
    const stream = Promise.all(Array.from({ length: workers }, worker))
    let streaming = true
    void stream.finally(() => {
      streaming = false
    })

    const streamSeconds = total / ratePerSecond
    const actions: ('kill' | 'broker')[] = Array.from({ length: kills }, () => 'kill' as const)
    actions.splice(Math.floor(kills / 2), 0, 'broker')
    // Action i at a random moment inside the i-th slice of the planned stream, so every kill and the
    // broker restart land while events are still flowing (late ones run at once).
    for (const [index, action] of actions.entries()) {
      const slice = (streamSeconds * 1000) / actions.length
      const due = streamStarted + slice * index + randomBetween(0.2, 0.8) * slice
      if (due > Date.now()) await delay(due - Date.now())
      crashedByThemselves += (await cluster.reviveDead()).length
      if (action === 'kill') {
        const at = Date.now() - streamStarted
        await cluster.kill(options.service)
        killTimesMs.push(at)
        if (streaming) killsMidStream += 1
        log(`SIGKILL ${options.service} at ${(at / 1000).toFixed(1)} s (${published.size} accepted so far)`)
        await cluster.restart(options.service)
      } else {
        log(`restarting the broker (${published.size} accepted so far)`)
        brokerDowntimeMs = await cluster.restartBroker()
        log(`broker back after ${(brokerDowntimeMs / 1000).toFixed(1)} s`)
      }
    }
    while (streaming) {
      await Promise.race([stream, delay(2_000)])
      crashedByThemselves += (await cluster.reviveDead()).length
    }
    log(
      `stream done: ${published.size} accepted, ${unconfirmed.size} unconfirmed, ${rejected.length} rejected`,
    )

    // Read the output read_committed from the beginning until every accepted key is there (or the bound).
    const serde = new EventSerde(new ConfluentRegistryClient(cluster.url(registryService.name)))
    const seen = new Map<string, number>()
    let outputRecords = 0
    const consumer = cluster.kafka().consumer({
      groupId: `chaos-verify-${randomUUID()}`,
      readUncommitted: false,
      maxWaitTimeInMs: 250,
    })
    await consumer.connect()
    await consumer.subscribe({ topic: options.outputTopic, fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.value) return
        const value = (await serde.decode(options.outputType, message.value)) as unknown as Record<
          string,
          unknown
        >
        const key = options.keyOfOutput(value)
        outputRecords += 1
        seen.set(key, (seen.get(key) ?? 0) + 1)
      },
    })
    const verifyDeadline = Date.now() + (smoke ? 60_000 : 180_000)
    const missing = () => [...published].filter((key) => !seen.has(key))
    while (missing().length > 0 && Date.now() < verifyDeadline) {
      await delay(500)
      crashedByThemselves += (await cluster.reviveDead()).length
    }
    // A little longer so late duplicates (a redelivery after the last kill) are counted too.
    await delay(3_000)
    await consumer.disconnect()

    const lost = missing()
    const duplicateKeys = [...seen].filter(([, count]) => count > 1)
    const duplicateRecords = duplicateKeys.reduce((sum, [, count]) => sum + count - 1, 0)
    const unconfirmedButProcessed = [...unconfirmed].filter((key) => seen.has(key)).length
    if (lost.length > 0)
      problems.push(`${lost.length} accepted events lost (for example ${lost.slice(0, 3).join(', ')})`)
    if (options.duplicatesFail && duplicateKeys.length > 0)
      problems.push(`${duplicateKeys.length} keys in ${options.outputTopic} more than once`)
    if (rejected.length > 0) problems.push(`${rejected.length} valid events refused (${rejected[0]})`)
    if (published.size < total * 0.5) problems.push(`only ${published.size} of ${total} events were accepted`)
    report({
      scenario: options.scenario,
      problems,
      seconds: Math.round((Date.now() - started) / 1000),
      figures: {
        sent: total,
        accepted: published.size,
        unconfirmed: unconfirmed.size,
        unconfirmedButProcessed,
        gatewayRetries: retries,
        sigkills: killTimesMs.length,
        sigkillsWhileStreaming: killsMidStream,
        brokerRestarts: brokerDowntimeMs > 0 ? 1 : 0,
        brokerDowntimeSeconds: Math.round(brokerDowntimeMs / 100) / 10,
        selfCrashRestarts: crashedByThemselves,
        outputRecords,
        lost: lost.length,
        duplicateKeys: duplicateKeys.length,
        duplicateRecords,
        guarantee: options.duplicatesFail ? 'exactly-once' : 'at-least-once',
      },
    })
  } finally {
    await cluster.stop()
  }
}
