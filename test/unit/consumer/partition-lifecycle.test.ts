import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PartitionHooks } from '#libs/consumer'
import { PartitionLifecycle } from '../../../libs/consumer/src/runtime/partition-lifecycle.ts'
import { compileSubscriptions } from '../../../libs/consumer/src/runtime/routes.ts'

function setup() {
  const calls: string[] = []
  const hooks: PartitionHooks = {
    onAssign: (p) => void calls.push(`assign ${p.partition}`),
    onRevoke: (p) => void calls.push(`revoke ${p.partition}`),
    onRewind: (p, offset) => void calls.push(`rewind ${p.partition}@${offset}`),
  }
  const decode = { decode: (bytes: Buffer) => bytes }
  const { routes } = compileSubscriptions('g', { retryTopics: ['5s'] }, [
    { topic: 'payments', decode, handler: () => {}, hooks },
    { topic: 'plain', decode, handler: () => {} },
  ])
  return { calls, routes, lifecycle: new PartitionLifecycle(routes) }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

test('each assigned partition gets onAssign before its first batch after every join, and only then', async () => {
  const { calls, routes, lifecycle } = setup()
  const route = routes.get('payments')!
  lifecycle.joined({ payments: [0, 1] })
  await lifecycle.beforeBatch(route, 0, '0', '9')
  await lifecycle.beforeBatch(route, 0, '10', '19')
  await lifecycle.beforeBatch(route, 1, '0', '4')
  lifecycle.joined({ payments: [0, 1] })
  await lifecycle.beforeBatch(route, 0, '20', '29')
  assert.deepEqual(calls, ['assign 0', 'assign 1', 'assign 0'])
})

test('a batch that starts at or below a record already delivered is a rewind', async () => {
  const { calls, routes, lifecycle } = setup()
  const route = routes.get('payments')!
  lifecycle.joined({ payments: [0] })
  await lifecycle.beforeBatch(route, 0, '0', '9')
  await lifecycle.beforeBatch(route, 0, '5', '14')
  await lifecycle.beforeBatch(route, 0, '15', '20')
  assert.deepEqual(calls, ['assign 0', 'rewind 0@5'])
})

test('partitions missing from a new assignment are revoked, and everything is on a stop', async () => {
  const { calls, lifecycle } = setup()
  lifecycle.joined({ payments: [0, 1, 2], plain: [0] })
  lifecycle.joined({ payments: [1], plain: [0] })
  await settle()
  assert.deepEqual(calls.sort(), ['revoke 0', 'revoke 2'])
  lifecycle.revokeAll()
  await settle()
  assert.deepEqual(calls.slice(2), ['revoke 1'])
})

test('retry tiers and subscriptions without hooks call nothing', async () => {
  const { calls, routes, lifecycle } = setup()
  lifecycle.joined({ 'g.payments.retry.1': [0], plain: [0] })
  await lifecycle.beforeBatch(routes.get('g.payments.retry.1')!, 0, '0', '1')
  await lifecycle.beforeBatch(routes.get('plain')!, 0, '0', '1')
  assert.deepEqual(calls, [])
})
