import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { KafkaMessage, Producer, TopicMessages } from 'kafkajs'
import { OutputBatcher } from '../../../libs/consumer/src/ordering/output-batcher.ts'
import { Outbox } from '../../../libs/consumer/src/runtime/outbox.ts'
import { compileSubscriptions } from '../../../libs/consumer/src/runtime/routes.ts'

function setup(send: (batch: TopicMessages[]) => Promise<void>) {
  const sent: TopicMessages[][] = []
  const producer = {
    sendBatch: async ({ topicMessages }: { topicMessages: TopicMessages[] }) => {
      sent.push(topicMessages)
      await send(topicMessages)
      return []
    },
  } as unknown as Producer
  const { routes } = compileSubscriptions('g', {}, [
    { topic: 'in', decode: { decode: (b: Buffer) => b }, handler: () => {} },
  ])
  const env = { groupId: 'g', heartbeat: async () => {}, signal: new AbortController().signal }
  const deps = { groupId: 'g', producer, pauser: {} as never, signal: env.signal, commitIntervalMs: 1_000 }
  const batcher = new OutputBatcher(deps, env)
  const record = (offset: number, topic = 'out') => {
    const outbox = new Outbox()
    outbox.add(topic, { key: null, value: `v${offset}` })
    const message = {
      offset: String(offset),
      key: null,
      value: Buffer.from('x'),
      timestamp: '0',
      headers: {},
    }
    return {
      fetched: {
        route: routes.get('in')!,
        sourceTopic: 'in',
        partition: 0,
        message: message as unknown as KafkaMessage,
      },
      outbox,
    }
  }
  return { sent, batcher, record }
}

const values = (batch: TopicMessages[]) =>
  batch.flatMap(({ topic, messages }) => messages.map((m) => `${topic}:${String(m.value)}`))

test('outputs of records that finish while a send is in flight go out together in the next send', async () => {
  let release!: () => void
  const first = new Promise<void>((resolve) => (release = resolve))
  let calls = 0
  const { sent, batcher, record } = setup(() => (calls++ === 0 ? first : Promise.resolve()))
  const a = record(0)
  const pending = [batcher.send(a.fetched, a.outbox)]
  for (const offset of [1, 2, 3]) {
    const r = record(offset)
    pending.push(batcher.send(r.fetched, r.outbox))
  }
  release()
  await Promise.all(pending)
  assert.deepEqual(sent.map(values), [['out:v0'], ['out:v1', 'out:v2', 'out:v3']])
})

test('a send the broker refuses for good falls back to one send per record, so only the unwritable record is dead-lettered', async () => {
  const refused = Object.assign(new Error('unknown topic'), { type: 'UNKNOWN_TOPIC_OR_PARTITION' })
  const { sent, batcher, record } = setup(async (batch) => {
    if (batch.some(({ topic }) => topic === 'missing')) throw refused
  })
  // The first send is in flight while the next two finish: they coalesce, one of them unwritable.
  const first = record(0)
  const sends = [batcher.send(first.fetched, first.outbox)]
  const good = record(1)
  const bad = record(2, 'missing')
  sends.push(batcher.send(good.fetched, good.outbox), batcher.send(bad.fetched, bad.outbox))
  await Promise.all(sends)
  assert.deepEqual(sent.map(values), [
    ['out:v0'],
    ['out:v1', 'missing:v2'],
    ['out:v1'],
    ['missing:v2'],
    ['g.in.dlt:x'],
  ])
})
