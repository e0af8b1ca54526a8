import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assignOffsets } from '../../../libs/publisher/src/offsets.ts'

const answer = (topicName: string, partition: number, baseOffset: string) => ({
  topicName,
  partition,
  errorCode: 0,
  baseOffset,
})

test('each record gets its partition base offset plus its index among the batch records of that partition', () => {
  const results = assignOffsets(
    [
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
      { topic: 'b', partition: 0 },
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
      { topic: 'a', partition: 0 },
    ],
    [answer('a', 0, '10'), answer('a', 1, '7'), answer('b', 0, '0')],
  )
  assert.deepEqual(
    results.map((r) => `${r.topic}/${r.partition}@${r.offset}`),
    ['a/0@10', 'a/1@7', 'b/0@0', 'a/0@11', 'a/1@8', 'a/0@12'],
  )
})

test('offsets beyond 2^53 stay exact', () => {
  const [result] = assignOffsets(
    [
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 0 },
    ],
    [answer('a', 0, '9007199254740993')],
  ).slice(1)
  assert.equal(result!.offset, '9007199254740994')
})

test('a record whose partition is missing from the answer or unknown is an error, not a guess', () => {
  assert.throws(() => assignOffsets([{ topic: 'a', partition: 2 }], [answer('a', 0, '1')]), /a\/2/)
  assert.throws(() => assignOffsets([{ topic: 'a', partition: undefined }], [answer('a', 0, '1')]))
})
