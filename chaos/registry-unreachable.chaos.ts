// The schema registry stopped for a while: a warm gateway keeps publishing fast (its schema ids are known) or answers a 503 naming the problem, a cold one stays unready, nothing is half-published, and after the registry is back publishes succeed.
import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { catalogEntry, type EventType } from '@event-backbone/catalog'
import { registryService } from '#libs/stack'
import { sampleEvents } from '../test/helpers/sample-events.ts'
import { ChaosCluster } from './lib/cluster.ts'
import { report, say, smoke } from './lib/scenario.ts'

const scenario = 'registry-unreachable'
const log = (line: string) => say(scenario, line)
const started = Date.now()
const perType = smoke ? 5 : 40
const boundMs = 10_000
// Types never published before the outage, so the gateway cannot have their schema ids cached.
const types: readonly EventType[] = ['PaymentConfirmed', 'SensorReading', 'UserLogin', 'FileUploadCompleted']

function event(eventType: EventType) {
  return {
    ...(sampleEvents[eventType] as object),
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
  }
}

const cluster = await ChaosCluster.start(['ingest-gateway'])
const problems: string[] = []
try {
  log(`cluster up (${Math.round((Date.now() - started) / 1000)} s)`)
  const admin = cluster.kafka().admin()
  await admin.connect()
  const endOf = async (eventType: EventType) =>
    (await admin.fetchTopicOffsets(catalogEntry(eventType).topic)).reduce((sum, p) => sum + Number(p.high), 0)
  const post = async (eventType: EventType) => {
    const begun = Date.now()
    try {
      const response = await fetch(`${cluster.url('ingest-gateway')}/v1/events/${eventType}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${cluster.apiKey}` },
        body: JSON.stringify(event(eventType)),
        signal: AbortSignal.timeout(60_000),
      })
      return { status: response.status, text: await response.text(), ms: Date.now() - begun }
    } catch (error) {
      return { status: 0, text: (error as Error).message, ms: Date.now() - begun }
    }
  }

  const before = new Map<EventType, number>()
  for (const eventType of types) before.set(eventType, await endOf(eventType))
  await cluster.stopService(registryService.name)
  const outageStarted = Date.now()
  log('registry stopped')
  const outage = { accepted: new Map<EventType, number>(), refused: 0, slowest: 0, unclear: [] as string[] }
  for (const eventType of types) {
    for (let index = 0; index < perType; index += 1) {
      const answer = await post(eventType)
      outage.slowest = Math.max(outage.slowest, answer.ms)
      if (answer.status === 202) outage.accepted.set(eventType, (outage.accepted.get(eventType) ?? 0) + 1)
      else if (answer.status === 503 && /registry|schema/i.test(answer.text)) outage.refused += 1
      else outage.unclear.push(`${eventType} → ${answer.status} ${answer.text.slice(0, 160)}`)
    }
  }
  let halfPublished = 0
  for (const eventType of types) {
    const moved = (await endOf(eventType)) - (before.get(eventType) ?? 0)
    halfPublished += Math.abs(moved - (outage.accepted.get(eventType) ?? 0))
  }
  // A gateway started while the registry is away cannot know its schema ids: it must stay unready
  // (so no traffic is routed to it) rather than accept events it cannot encode.
  await cluster.stopService('ingest-gateway')
  const coldStart = await cluster.restart('ingest-gateway', 8_000).then(
    () => 'became ready without the registry',
    (error: Error) => (/not ready/.test(error.message) ? 'stayed unready' : error.message),
  )
  if (coldStart !== 'stayed unready') problems.push(`a gateway started during the outage: ${coldStart}`)
  const outageMs = Date.now() - outageStarted
  await cluster.restart(registryService.name)
  log('registry back')
  if (!cluster.isRunning('ingest-gateway')) await cluster.restart('ingest-gateway')

  // Once it is back the gateway must publish again (a 503 retried with the same bound).
  let recoveredIn = 0
  let afterAccepted = 0
  const recoveryStarted = Date.now()
  for (const eventType of types) {
    for (;;) {
      const answer = await post(eventType)
      if (answer.status === 202) {
        afterAccepted += 1
        break
      }
      if (Date.now() - recoveryStarted > 30_000) {
        problems.push(`${eventType} still refused 30 s after the registry came back: ${answer.status}`)
        break
      }
      await delay(250)
    }
  }
  recoveredIn = Date.now() - recoveryStarted
  await admin.disconnect()
  if (outage.slowest > boundMs)
    problems.push(`a publish during the outage took ${outage.slowest} ms (bound ${boundMs})`)
  if (outage.unclear.length > 0)
    problems.push(
      `${outage.unclear.length} unclear answers during the outage: ${outage.unclear.slice(0, 2).join(' | ')}`,
    )
  if (halfPublished > 0) problems.push(`${halfPublished} records on the topics not matched by a 202`)
  if (!cluster.isRunning('ingest-gateway')) problems.push('the gateway died')
  const acceptedDuringOutage = [...outage.accepted.values()].reduce((sum, count) => sum + count, 0)
  report({
    scenario,
    problems,
    seconds: Math.round((Date.now() - started) / 1000),
    figures: {
      postsDuringOutage: types.length * perType,
      acceptedDuringOutage,
      refused503: outage.refused,
      unclearAnswers: outage.unclear.length,
      slowestAnswerMs: outage.slowest,
      boundMs,
      halfPublished,
      outageSeconds: Math.round(outageMs / 1000),
      coldGatewayDuringOutage: coldStart,
      acceptedAfterRecovery: afterAccepted,
      recoveryMs: recoveredIn,
    },
  })
} finally {
  await cluster.stop()
}
process.exit(0)
