// Poison pills and hostile control headers mixed into a stream of valid uploads: every bad record lands in upload-processor's dead-letter topic, every valid one is processed, the consumer keeps running.
import { randomBytes, randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import type { IHeaders } from 'kafkajs'
import { Header } from '#libs/consumer'
import { deadLetterTopicName, retryTopicName } from '#libs/kafka'
import { registryService } from '#libs/stack'
import { sampleEvents } from '../test/helpers/sample-events.ts'
import { ChaosCluster } from './lib/cluster.ts'
import { report, say, smoke } from './lib/scenario.ts'

const scenario = 'poison-and-hostile-headers'
const log = (line: string) => say(scenario, line)
const group = 'upload-processor'
const input = 'uploads'
const started = Date.now()
const valid = smoke ? 30 : 600
const rounds = smoke ? 1 : 5

function upload() {
  const { simulate: _simulate, ...tags } = sampleEvents.FileUploadCompleted.tags
  return { ...sampleEvents.FileUploadCompleted, eventId: randomUUID(), uploadId: randomUUID(), tags }
}

/** Control headers nobody should trust: each set alone must dead-letter the record. */
const hostileHeaders: readonly IHeaders[] = [
  { [Header.attempts]: '-1' },
  { [Header.attempts]: 'lots' },
  { [Header.attempts]: '99999999999999999999' },
  { [Header.retryDueAt]: '9999999999999' },
  { [Header.retryDueAt]: '-5' },
  { [Header.originalTopic]: 'payments' },
  { [Header.originalPartition]: ['1', '2'] },
  { [Header.originalOffset]: 'DROP TABLE' },
  { [Header.firstFailureAt]: 'x'.repeat(500) },
  { [Header.originalTimestamp]: '1e10' },
]

const cluster = await ChaosCluster.start(['ingest-gateway', group])
const problems: string[] = []
try {
  log(`cluster up (${Math.round((Date.now() - started) / 1000)} s)`)
  const serde = new EventSerde(new ConfluentRegistryClient(cluster.url(registryService.name)))
  const producer = cluster.kafka().producer()
  await producer.connect()
  const retryTopic = retryTopicName(group, input, 1)
  const dlt = deadLetterTopicName(group, input)
  const goodBytes = async () => serde.encode('FileUploadCompleted', upload())
  const poisons = async (): Promise<{ topic: string; value: Buffer; headers?: IHeaders }[]> => {
    const good = await goodBytes()
    return [
      { topic: input, value: randomBytes(64) },
      { topic: input, value: Buffer.from([0, 0, 0, 0x7f, 0xff, 1, 2, 3]) }, // unknown schema id
      { topic: input, value: good.subarray(0, 12) }, // truncated
      { topic: input, value: Buffer.from('{"json":"not avro"}') },
      ...hostileHeaders.map((headers) => ({ topic: retryTopic, value: good, headers })),
    ]
  }
  const gateway = `${cluster.url('ingest-gateway')}/v1/events/FileUploadCompleted`
  const accepted = new Set<string>()
  let bad = 0
  const badEvery = Math.max(1, Math.floor(valid / rounds))
  for (let index = 0; index < valid; index += 1) {
    const event = upload()
    const response = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cluster.apiKey}` },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(15_000),
    })
    await response.body?.cancel()
    if (response.status === 202) accepted.add(event.eventId)
    else problems.push(`valid upload refused with ${response.status}`)
    if (index % badEvery === 0 && bad < rounds * (hostileHeaders.length + 4)) {
      for (const record of await poisons()) {
        await producer.send({
          topic: record.topic,
          messages: [
            {
              key: randomUUID(),
              value: record.value,
              ...(record.headers ? { headers: record.headers } : {}),
            },
          ],
        })
        bad += 1
      }
    }
  }
  await producer.disconnect()
  log(`sent ${accepted.size} valid uploads and ${bad} bad records`)

  const processed = new Set<string>()
  let deadLettered = 0
  const consumer = cluster.kafka().consumer({ groupId: `chaos-verify-${randomUUID()}`, maxWaitTimeInMs: 250 })
  await consumer.connect()
  await consumer.subscribe({ topics: ['uploads-processed', dlt], fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      if (topic === dlt) deadLettered += 1
      else if (message.value) {
        const value = await serde.decode('UploadProcessed', message.value)
        processed.add(value.sourceEventId)
      }
    },
  })
  const deadline = Date.now() + (smoke ? 60_000 : 150_000)
  const missing = () => [...accepted].filter((id) => !processed.has(id)).length
  while ((missing() > 0 || deadLettered < bad) && Date.now() < deadline) await delay(500)
  await delay(2_000)
  await consumer.disconnect()
  const alive = cluster.isRunning(group)
  const ready = await fetch(`${cluster.url(group)}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
    (response) => response.status === 200,
    () => false,
  )
  if (missing() > 0) problems.push(`${missing()} valid uploads not processed`)
  if (deadLettered !== bad) problems.push(`${deadLettered} records dead-lettered, ${bad} bad records sent`)
  if (!alive || !ready) problems.push(`${group} is not running and ready at the end`)
  report({
    scenario,
    problems,
    seconds: Math.round((Date.now() - started) / 1000),
    figures: {
      validSent: accepted.size,
      validProcessed: [...accepted].filter((id) => processed.has(id)).length,
      badSent: bad,
      poisonPills: rounds * 4,
      hostileHeaderRecords: rounds * hostileHeaders.length,
      deadLettered,
      consumerAliveAndReady: alive && ready,
    },
  })
} finally {
  await cluster.stop()
}
process.exit(0)
