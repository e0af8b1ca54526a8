// Proves the console's consumer-group API over a real broker: groups and their lag are listed and described, a dry-run reset needs read access only, a reset needs an operator token and moves the offsets, and a group with a live member answers 409 naming it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeGroup } from '#libs/groups'
import { aliceToken, callConsole, testConsole } from '../../helpers/dlq-console.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

const call = callConsole

test('the console lists and describes groups, dry-runs a reset for anyone who may read, resets only for an operator, and refuses a group with a live member', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('console-groups')
  await createTestTopics(t, [{ topic }])
  const admin = await testAdmin(t)
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  t.after(() => producer.disconnect())
  await producer.send({ topic, messages: Array.from({ length: 4 }, (_, i) => ({ value: `v${i}` })) })
  const groupId = uniqueName('console-group')
  await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '4' }] })
  const { http } = await testConsole(t, kafka)

  const listed = await call(http.url, 'GET', '/api/groups')
  assert.equal(listed.status, 200)
  assert.ok(listed.body.groups.some((group: { groupId: string }) => group.groupId === groupId))
  const described = await call(http.url, 'GET', `/api/groups/${groupId}`)
  assert.deepEqual(
    described.body.partitions.map((p: { committed: string; end: string; lag: number }) => [
      p.committed,
      p.end,
      p.lag,
    ]),
    [['4', '4', 0]],
  )
  assert.equal((await call(http.url, 'GET', `/api/groups/${uniqueName('nobody')}`)).status, 404)

  const reset = { target: { toEarliest: true } }
  const dry = await call(http.url, 'POST', `/api/groups/${groupId}/reset-offsets`, { ...reset, dryRun: true })
  assert.equal(dry.status, 200)
  assert.equal(dry.body.applied, false)
  assert.equal(dry.body.partitions[0].to, '0')
  assert.equal(
    (await describeGroup(admin, groupId)).partitions[0]!.committed,
    '4',
    'the dry run changed nothing',
  )
  assert.equal((await call(http.url, 'POST', `/api/groups/${groupId}/reset-offsets`, reset)).status, 401)
  assert.equal(
    (await call(http.url, 'POST', `/api/groups/${groupId}/reset-offsets`, reset, 'wrong-token-123')).status,
    403,
  )
  const bad = await call(http.url, 'POST', `/api/groups/${groupId}/reset-offsets`, { target: {} }, aliceToken)
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error, 'EB_RESET_TARGET')
  const done = await call(http.url, 'POST', `/api/groups/${groupId}/reset-offsets`, reset, aliceToken)
  assert.equal(done.status, 200)
  assert.equal(done.body.applied, true)
  assert.equal((await describeGroup(admin, groupId)).partitions[0]!.committed, '0')

  const consumer = kafka.consumer({ groupId })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({ eachMessage: async () => {} })
  await waitFor(async () => (await describeGroup(admin, groupId)).members.length === 1, {
    description: 'the member to join',
  })
  const refused = await call(http.url, 'POST', `/api/groups/${groupId}/reset-offsets`, reset, aliceToken)
  assert.equal(refused.status, 409)
  assert.equal(refused.body.error, 'EB_GROUP_ACTIVE')
  assert.match(refused.body.message, /1 live member/)
})
