// scratch profiler: not committed
import { randomBytes } from 'node:crypto'
import { Kafka, logLevel } from 'kafkajs'
import { failureHeaders, Stage } from '#libs/consumer'
import { planReplay, startReplay } from '#libs/dlq'
import { deadLetterTopicName, ensureTopics, retryTopicName, waitForTopics } from '#libs/kafka'
import { provideKafka, silenceKafkajsTimeoutWarning } from '#libs/kafka-local'

silenceKafkajsTimeoutWarning()
const records = Number(process.env['BENCH_RECORDS'] ?? 100_000)
const partitions = 3
const provided = await provideKafka()
const logs = new Map<string, number>()
const t = new Map<string, number>()
const add = (k: string, ms: number) => t.set(k, (t.get(k) ?? 0) + ms)
const cnt = (k: string) => t.set(`#${k}`, (t.get(`#${k}`) ?? 0) + 1)
const kafka = new Kafka({
  clientId: 'prof',
  brokers: provided.brokers,
  logLevel: logLevel.WARN,
  logCreator: () => (entry) => {
    const m = entry.log.message.slice(0, 80)
    logs.set(m, (logs.get(m) ?? 0) + 1)
  },
})
const origProducer = kafka.producer.bind(kafka)
kafka.producer = (cfg) => {
  const p = origProducer(cfg)
  if (!cfg?.transactionalId) return p
  const origTx = p.transaction.bind(p)
  p.transaction = async () => {
    let s = performance.now()
    const tx = await origTx()
    add('tx.begin', performance.now() - s)
    const sb = tx.sendBatch.bind(tx)
    tx.sendBatch = async (b) => {
      const s = performance.now()
      try { return await sb(b) } finally { add('tx.sendBatch', performance.now() - s); cnt('tx') }
    }
    const c = tx.commit.bind(tx)
    tx.commit = async () => {
      const s = performance.now()
      try { return await c() } finally { add('tx.commit', performance.now() - s) }
    }
    return tx
  }
  return p
}
const origConsumer = kafka.consumer.bind(kafka)
kafka.consumer = (cfg) => {
  const c = origConsumer(cfg)
  const origRun = c.run.bind(c)
  c.run = async (o) => {
    const eb = o!.eachBatch!
    let last = 0
    return origRun({
      ...o,
      eachBatch: async (p) => {
        const s = performance.now()
        if (last) add(`between-batches:${cfg!.groupId.slice(0, 20)}`, s - last)
        try { return await eb(p) } finally { last = performance.now(); add(`eachBatch:${cfg!.groupId.slice(0, 20)}`, last - s); cnt(`batch:${cfg!.groupId.slice(0,20)}`) }
      },
    })
  }
  return c
}
try {
  const group = `g-${randomBytes(3).toString('hex')}`
  const source = `src-${randomBytes(3).toString('hex')}`
  const dlt = deadLetterTopicName(group, source)
  const retry = retryTopicName(group, source, 1)
  const admin = kafka.admin()
  await admin.connect()
  await ensureTopics(admin, [source, dlt, retry].map((topic) => ({ topic, numPartitions: partitions })))
  await waitForTopics(admin, [source, dlt, retry])
  await admin.disconnect()
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  const now = Date.now()
  const value = randomBytes(200)
  for (let start = 0; start < records; start += 2_000) {
    const count = Math.min(2_000, records - start)
    await producer.send({ topic: dlt, acks: -1, messages: Array.from({ length: count }, (_, j) => {
      const i = start + j
      return { key: `key-${i}`, value, partition: i % partitions, headers: failureHeaders(
        { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
        { origin: { topic: source, partition: i % partitions, offset: String(i), timestamp: String(now) },
          groupId: group, stage: Stage.handle, error: new Error('the ledger said no'), attempts: 3, firstFailureAt: now, lastFailureAt: now }) }
    }) })
  }
  await producer.disconnect()
  for (let round = 0; round < Number(process.env['ROUNDS'] ?? 1); round++) {
    t.clear(); logs.clear()
    const topics = { jobs: `_jobs-${randomBytes(3).toString('hex')}`, audit: `_audit-${randomBytes(3).toString('hex')}` }
    const b = performance.now()
    const spec = await planReplay(kafka, { topic: dlt, by: 'prof' })
    add('plan', performance.now() - b)
    const s = performance.now()
    const state = await startReplay({ kafka, spec, topics, chunkSize: Number(process.env['BENCH_CHUNK'] ?? 5000) }).done
    add('run', performance.now() - s)
    const total = performance.now() - b
    console.log(JSON.stringify({ total: Math.round(total), rps: Math.round(records / total * 1000), replayed: state.counts.replayed }))
    console.log(Object.fromEntries([...t].map(([k, v]) => [k, Math.round(v)])))
    console.log(Object.fromEntries(logs))
  }
} finally {
  await provided.stop()
}
process.exit(0)
