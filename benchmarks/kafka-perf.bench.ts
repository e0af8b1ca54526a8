/**
 * The ceiling for producing from Node: raw kafkajs against Kafka's own Java producer
 * (org.apache.kafka.tools.ProducerPerformance from the pinned kafka-tools jar), same record size,
 * acks=all and idempotence, same broker, alternating rounds.
 */
import { randomBytes } from 'node:crypto'
import { benchBrokers, benchKafka, benchName, createBenchTopic, smoke } from './lib/env.ts'
import { kafkaTool } from './lib/java-tools.ts'
import { emitResult } from './lib/report.ts'
import { caseResult, ratio } from './lib/stats.ts'

const records = smoke ? 5_000 : 200_000
const recordSize = 300
const rounds = smoke ? 1 : 3
const batch = 500
const inFlight = 5

async function javaProducer(topic: string): Promise<number> {
  const stdout = await kafkaTool('ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${benchBrokers().join(',')}`,
    'acks=all',
    'enable.idempotence=true',
  ])
  const summary = /(\d+) records sent, ([\d.]+) records\/sec/.exec(stdout.trim().split('\n').at(-1) ?? '')
  if (!summary) throw new Error(`unexpected ProducerPerformance output: ${stdout.slice(-500)}`)
  return Number(summary[2])
}

async function kafkajsProducer(topic: string): Promise<number> {
  const producer = benchKafka().producer({ idempotent: true, maxInFlightRequests: inFlight })
  await producer.connect()
  const value = randomBytes(recordSize)
  const started = performance.now()
  let next = 0
  const worker = async () => {
    while (next < records) {
      const count = Math.min(batch, records - next)
      next += count
      await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, () => ({ value })) })
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  const seconds = (performance.now() - started) / 1000
  await producer.disconnect()
  return records / seconds
}

const kafka = benchKafka()
const java: number[] = []
const node: number[] = []
for (let round = 0; round < rounds; round++) {
  const javaTopic = benchName('perf-java')
  const nodeTopic = benchName('perf-kafkajs')
  await createBenchTopic(kafka, javaTopic)
  await createBenchTopic(kafka, nodeTopic)
  java.push(await javaProducer(javaTopic))
  node.push(await kafkajsProducer(nodeTopic))
}
const javaCase = caseResult(`Java ProducerPerformance (${recordSize} B, acks=all, idempotent)`, 'msg/s', java)
const nodeCase = caseResult(`raw kafkajs send (${batch}/send, ${inFlight} in flight)`, 'msg/s', node)
emitResult({
  bench: 'kafka-perf',
  cases: [javaCase, nodeCase],
  ratios: [ratio('raw kafkajs / Java producer', nodeCase, javaCase)],
  notes: [`${records} records of ${recordSize} bytes per round, ${rounds} rounds, 3 partitions`],
})
