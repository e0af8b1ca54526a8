import assert from 'node:assert/strict'
import { test } from 'node:test'
import { OrderedAdmission } from '../../../libs/publisher/src/admission.ts'

test('admits records in the order their tickets were opened, whatever order they became ready in', () => {
  const admission = new OrderedAdmission<string>()
  const [a, b, c] = [admission.open(), admission.open(), admission.open()]
  const admitted: string[] = []
  const admit = (record: string) => admitted.push(record) > 0

  admission.ready(c, 'c')
  admission.ready(b, 'b')
  assert.equal(admission.pump(admit), 0, 'a is still encoding')
  admission.ready(a, 'a')
  assert.equal(admission.pump(admit), 3)
  assert.deepEqual(admitted, ['a', 'b', 'c'])
  assert.equal(admission.waiting, 0)
})

test('a cancelled ticket no longer holds back the ones behind it', () => {
  const admission = new OrderedAdmission<string>()
  const [a, b] = [admission.open(), admission.open()]
  admission.ready(b, 'b')
  assert.equal(admission.cancel(a), true)
  const admitted: string[] = []
  admission.pump((record) => admitted.push(record) > 0)
  assert.deepEqual(admitted, ['b'])
  assert.equal(admission.cancel(b), false, 'an admitted ticket cannot be cancelled')
})

test('a record that does not fit waits at the head and everything behind it waits too', () => {
  const admission = new OrderedAdmission<number>()
  const tickets = [admission.open(), admission.open(), admission.open()]
  for (const [i, ticket] of tickets.entries()) admission.ready(ticket, [50, 1, 1][i]!)
  let room = 10
  const admit = (size: number) => {
    if (size > room) return false
    room -= size
    return true
  }
  assert.equal(admission.pump(admit), 0)
  assert.equal(admission.waiting, 3)
  room = 60
  assert.equal(admission.pump(admit), 3)
})
