import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Producer } from 'kafkajs'
import { ProducerSlots } from '../../../libs/publisher/src/producer-slots.ts'

function fakeProducers() {
  const made: Array<{ id: number; connects: number; disconnects: number }> = []
  const create = () => {
    const state = { id: made.length, connects: 0, disconnects: 0 }
    made.push(state)
    return {
      connect: async () => {
        state.connects++
      },
      disconnect: async () => {
        state.disconnects++
      },
    } as unknown as Producer
  }
  return { made, create }
}

test('a failed batch retires its producer, and the next batch gets a fresh one', async () => {
  const { made, create } = fakeProducers()
  const slots = new ProducerSlots(create)
  const first = slots.acquire()
  await slots.connect(first)
  slots.release(first, true)
  const second = slots.acquire()
  assert.notEqual(second.producer, first.producer)
  assert.equal(slots.replacements, 1)
  slots.release(second, false)
  await slots.close()
  assert.deepEqual(
    made.map((p) => p.disconnects),
    [1, 0],
    'the retired one is disconnected, the never-connected one needs nothing',
  )
})

test('a retired producer is disconnected only once its other in-flight batches settle', async () => {
  const { made, create } = fakeProducers()
  const slots = new ProducerSlots(create)
  const a = slots.acquire()
  const b = slots.acquire()
  await slots.connect(a)
  slots.release(a, true)
  await Promise.resolve()
  assert.equal(made[0]!.disconnects, 0, 'b is still in flight on it')
  slots.release(b, false)
  await slots.close()
  assert.equal(made[0]!.disconnects, 1)
})

test('a success leaves the producer in place and concurrent connects share one', async () => {
  const { made, create } = fakeProducers()
  const slots = new ProducerSlots(create)
  await Promise.all([slots.connect(), slots.connect()])
  const slot = slots.acquire()
  slots.release(slot, false)
  assert.equal(slots.acquire().producer, slot.producer)
  assert.equal(made.length, 1)
  assert.equal(made[0]!.connects, 1)
})
