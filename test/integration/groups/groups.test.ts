// Proves consumer-group inspection and offset resets against the real broker: lag per partition from committed and end offsets, a reset refused while a member is live (named), every target (earliest, latest, datetime, duration, clamped offset), dry runs that change nothing, and the same through `backbone groups`.
import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { GroupActiveError, GroupNotFoundError } from '@event-backbone/errors'
import type { Admin } from 'kafkajs'
import { applyReset, describeGroup, listGroups, parseResetTarget, planReset } from '#libs/groups'
import { runCli } from '../../helpers/cli.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

/** A topic of 2 partitions with 5 records each, written in two batches with a time between them. */
async function topicWithRecords(t: TestContext): Promise<{ topic: string; admin: Admin; between: number }> {
  const topic = uniqueName('groups')
  await createTestTopics(t, [{ topic, numPartitions: 2 }])
  const admin = await testAdmin(t)
  // Idempotent: a retried send under load must not add records the offsets below count on.
  const producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  t.after(() => producer.disconnect())
  const write = (from: number, count: number, timestamp: number) =>
    producer.send({
      topic,
      messages: [0, 1].flatMap((partition) =>
        Array.from({ length: count }, (_, i) => ({
          partition,
          value: `r${from + i}`,
          timestamp: String(timestamp),
        })),
      ),
    })
  const between = Date.now() - 60_000
  await write(0, 3, between - 60_000)
  await write(3, 2, between + 30_000)
  return { topic, admin, between }
}

const commit = (admin: Admin, groupId: string, topic: string, offsets: [string, string]) =>
  admin.setOffsets({
    groupId,
    topic,
    partitions: offsets.map((offset, partition) => ({ partition, offset })),
  })

test('describe shows the committed offset, the end offset and the lag of every partition', async (t) => {
  const { topic, admin } = await topicWithRecords(t)
  const groupId = uniqueName('group')
  await commit(admin, groupId, topic, ['2', '5'])
  const group = await describeGroup(admin, groupId)
  assert.equal(group.members.length, 0)
  assert.deepEqual(
    group.partitions.map((p) => [p.topic, p.partition, p.committed, p.end, p.lag]),
    [
      [topic, 0, '2', '5', 3],
      [topic, 1, '5', '5', 0],
    ],
  )
  assert.equal(group.totalLag, 3)
  const listed = await listGroups(admin)
  assert.ok(listed.some((entry) => entry.groupId === groupId && entry.totalLag === 3))
  await assert.rejects(describeGroup(admin, uniqueName('nobody')), GroupNotFoundError)
})

test('a reset is refused while the group has a live member, and the error names it', async (t) => {
  const { topic, admin } = await topicWithRecords(t)
  const groupId = uniqueName('group')
  const consumer = testKafka({ clientId: 'live-reader' }).consumer({ groupId })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({ eachMessage: async () => {} })
  const live = await waitFor(
    async () => {
      const group = await describeGroup(admin, groupId).catch(() => undefined)
      return group?.members.length === 1 && group.members[0]!.assignment.length > 0 ? group : undefined
    },
    { description: 'the member to be assigned' },
  )
  assert.equal(live.members[0]!.clientId, 'live-reader')
  assert.deepEqual(live.members[0]!.assignment, [{ topic, partitions: [0, 1] }])
  await assert.rejects(planReset(admin, groupId, { kind: 'earliest' }), (error: Error) => {
    assert.ok(error instanceof GroupActiveError)
    assert.match(error.message, /1 live member\(s\): live-reader@/)
    return true
  })
  await consumer.disconnect()
  await waitFor(async () => (await describeGroup(admin, groupId)).members.length === 0, {
    description: 'the member to leave',
  })
  const plan = await planReset(admin, groupId, { kind: 'earliest' })
  assert.ok(plan.partitions.every((entry) => entry.to === '0'))
})

test('each target moves every partition where it should; a dry run changes nothing', async (t) => {
  const { topic, admin, between } = await topicWithRecords(t)
  const groupId = uniqueName('group')
  await commit(admin, groupId, topic, ['4', '4'])
  const to = async (target: Parameters<typeof planReset>[2]) =>
    (await planReset(admin, groupId, target)).partitions.map((entry) => entry.to)

  assert.deepEqual(await to({ kind: 'earliest' }), ['0', '0'])
  assert.deepEqual(await to({ kind: 'latest' }), ['5', '5'])
  assert.deepEqual(await to({ kind: 'datetime', at: new Date(between) }), ['3', '3'])
  assert.deepEqual(await to({ kind: 'duration', agoMs: Date.now() - between }), ['3', '3'])
  assert.deepEqual(await to({ kind: 'datetime', at: new Date(Date.now() + 3_600_000) }), ['5', '5'])
  const clamped = await planReset(admin, groupId, { kind: 'offset', offset: 99n })
  assert.deepEqual(
    clamped.partitions.map((entry) => [entry.from, entry.to, entry.note]),
    [
      ['4', '5', 'offset 99 is outside 0..5: clamped'],
      ['4', '5', 'offset 99 is outside 0..5: clamped'],
    ],
  )
  assert.deepEqual(
    (await describeGroup(admin, groupId)).partitions.map((p) => p.committed),
    ['4', '4'],
    'planning changed nothing',
  )
  await applyReset(admin, await planReset(admin, groupId, parseResetTarget({ toOffset: '1' })))
  assert.deepEqual(
    (await describeGroup(admin, groupId)).partitions.map((p) => p.committed),
    ['1', '1'],
  )
})

test('backbone groups lists, describes, plans a dry run and resets one topic of a group', async (t) => {
  const { topic, admin } = await topicWithRecords(t)
  const other = uniqueName('groups-other')
  await createTestTopics(t, [{ topic: other }])
  const groupId = uniqueName('group')
  await commit(admin, groupId, topic, ['5', '5'])
  await admin.setOffsets({ groupId, topic: other, partitions: [{ partition: 0, offset: '0' }] })

  const list = await runCli(['groups', 'list', '--json'])
  assert.equal(list.status, 0, list.stderr)
  assert.ok(
    (JSON.parse(list.stdout) as { groups: Array<{ groupId: string }> }).groups.some(
      (g) => g.groupId === groupId,
    ),
  )

  const described = await runCli(['groups', 'describe', groupId, '--json'])
  assert.equal(described.status, 0, described.stderr)
  assert.deepEqual(
    (JSON.parse(described.stdout) as { partitions: Array<{ topic: string }> }).partitions
      .map((p) => p.topic)
      .sort(),
    [other, topic, topic].sort(),
  )

  const dryRun = await runCli([
    'groups',
    'reset-offsets',
    groupId,
    '--to-earliest',
    '--topic',
    topic,
    '--dry-run',
  ])
  assert.equal(dryRun.status, 0, dryRun.stderr)
  assert.match(dryRun.stdout, /plan \(dry run, nothing changed\)/)
  assert.match(dryRun.stdout, new RegExp(`${topic}\\[0\\] 5 → 0`))
  assert.deepEqual(
    (await describeGroup(admin, groupId)).partitions.filter((p) => p.topic === topic).map((p) => p.committed),
    ['5', '5'],
  )

  const reset = await runCli([
    'groups',
    'reset-offsets',
    groupId,
    '--to-earliest',
    '--topic',
    topic,
    '--json',
  ])
  assert.equal(reset.status, 0, reset.stderr)
  assert.equal((JSON.parse(reset.stdout) as { applied: boolean }).applied, true)
  const after = await describeGroup(admin, groupId)
  assert.deepEqual(
    after.partitions.filter((p) => p.topic === topic).map((p) => p.committed),
    ['0', '0'],
  )
  assert.deepEqual(
    after.partitions.filter((p) => p.topic === other).map((p) => p.committed),
    ['0'],
    'the other topic is untouched',
  )

  const bad = await runCli(['groups', 'reset-offsets', groupId, '--to-earliest', '--to-latest'])
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /give exactly one reset target .* \[EB_RESET_TARGET\]/)
})
