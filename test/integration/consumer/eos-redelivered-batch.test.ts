// Proves that records handed to an exactly-once member again after its own transaction committed them (kafkajs does so after a rebalance, while its offset re-read still sees the offset from before that commit) are skipped, not committed twice.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EachBatchPayload, KafkaMessage } from 'kafkajs'
import { subscription } from '#libs/consumer'
// The stale re-read depends on when the broker writes transaction markers, so no test can make
// kafkajs produce it on demand; this one hands the batch function the batch kafkajs would hand it.
import { runExactlyOnceBatch } from '../../../libs/consumer/src/eos/exactly-once.ts'
import { ProducerPool } from '../../../libs/consumer/src/eos/producer-pool.ts'
import type { Pauser } from '../../../libs/consumer/src/runtime/pauser.ts'
import { compileSubscriptions } from '../../../libs/consumer/src/runtime/routes.ts'
import { collect } from '../../helpers/consumer.ts'
import {
  committedOffsetBecomes,
  createTestTopics,
  testAdmin,
  testKafka,
  uniqueName,
  waitFor,
} from '../../helpers/kafka.ts'

function message(offset: number): KafkaMessage {
  return {
    offset: String(offset),
    key: Buffer.from(`k${offset}`),
    value: Buffer.from(`v${offset}`),
    timestamp: String(Date.now()),
    attributes: 0,
    headers: {},
  } as KafkaMessage
}

/** The payload kafkajs passes to eachBatch, for records `from`..`to` of partition 0. */
function payload(topic: string, from: number, to: number, resolved: string[]): EachBatchPayload {
  const messages = Array.from({ length: to - from + 1 }, (_, i) => message(from + i))
  const batch = {
    topic,
    partition: 0,
    highWatermark: String(to + 1),
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => messages[0]?.offset ?? null,
    lastOffset: () => String(to),
    offsetLag: () => '0',
    offsetLagLow: () => '0',
  }
  return {
    batch,
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat: async () => {},
    isRunning: () => true,
    isStale: () => false,
    pause: () => () => {},
    commitOffsetsIfNecessary: async () => {},
    uncommittedOffsets: () => ({ topics: [] }),
  } as unknown as EachBatchPayload
}

test('an exactly-once member handed records it already committed skips them and commits each input once', async (t) => {
  const kafka = testKafka()
  const input = uniqueName('eos-again-in')
  const output = uniqueName('eos-again-out')
  const groupId = uniqueName('eos-again')
  await createTestTopics(t, [{ topic: input }, { topic: output }], kafka)
  const admin = await testAdmin(t, kafka)
  const { routes } = compileSubscriptions(groupId, { guarantee: 'exactly-once' }, [
    subscription({
      topic: input,
      decode: { decode: (bytes: Buffer) => bytes.toString() },
      handler: async (value, ctx) => {
        await ctx.emit(output, ctx.key, value)
      },
    }),
  ])
  const route = routes.get(input)!
  const producers = new ProducerPool(kafka, admin, groupId, 30_000)
  t.after(() => producers.closeAll())
  const deps = {
    groupId,
    producers,
    pauser: {} as Pauser, // never used: no record here waits for a retry tier
    signal: new AbortController().signal,
    maxBatchRecords: 100,
    flushRecords: 5,
  }

  const resolved: string[] = []
  await runExactlyOnceBatch(deps, route, payload(input, 0, 9, resolved))
  // The same records again, as after a rebalance whose offset re-read predates that commit...
  await runExactlyOnceBatch(deps, route, payload(input, 0, 9, resolved))
  // ...and a batch that overlaps the committed part and goes beyond it.
  await runExactlyOnceBatch(deps, route, payload(input, 5, 14, resolved))

  assert.deepEqual(resolved, ['9', '9', '14'], 'the fully committed batch moves the position, nothing else')
  await committedOffsetBecomes(admin, groupId, input, 15, 'the offset after the last input committed')
  const seen = await collect(t, kafka, [output], { readCommitted: true })
  await waitFor(() => seen.length >= 15, { description: 'fifteen committed outputs' })
  // Anything committed twice would be in the topic by now: its transaction came before the last.
  const values = seen.map((r) => String(r.message.value)).sort()
  const expected = Array.from({ length: 15 }, (_, i) => `v${i}`).sort()
  assert.deepEqual(values, expected, 'every input in the committed output exactly once')
})
