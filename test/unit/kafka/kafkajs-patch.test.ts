// The kafkajs patch (patches/kafkajs+2.2.4.patch, applied by patch-package after every install)
// changes how records are encoded and partitioned, not what goes on the wire or which partition a
// key lands on: the digests below are of what unpatched kafkajs 2.2.4 produces.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { test } from 'node:test'

const require = createRequire(import.meta.url)
type RecordEncoder = (record: Record<string, unknown>) => { buffer: Buffer }
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as RecordEncoder
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: Buffer | string,
) => number
type Grouping = (args: {
  topic: string
  partitionMetadata: ReadonlyArray<{ partitionId: number; leader: number }>
  messages: ReadonlyArray<Record<string, unknown>>
  partitioner: (args: { message: Record<string, unknown> }) => number
}) => Record<number, ReadonlyArray<Record<string, unknown>>>
const groupMessagesPerPartition = require('kafkajs/src/producer/groupMessagesPerPartition.js') as Grouping
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (batch: Record<string, unknown>) => Promise<{ buffer: Buffer }>
}
type ProduceRequest = (request: Record<string, unknown>) => { encode: () => Promise<{ buffer: Buffer }> }
const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request.js') as ProduceRequest
type FramedRequest = (args: {
  correlationId: number
  clientId: string
  request: ReturnType<ProduceRequest>
}) => Promise<{ buffer: Buffer }>
const frameRequest = require('kafkajs/src/protocol/request.js') as FramedRequest
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

const cases: ReadonlyArray<{ readonly record: Record<string, unknown>; readonly sha256: string }> = [
  {
    record: { offsetDelta: 0, timestampDelta: 0, key: null, value: Buffer.from('v'), headers: {} },
    sha256: '9de6737c7a894a5c846e9ff36f70cb53e0608d193077dcef1090e544194bdefb',
  },
  {
    // Header values as strings, bytes and a list (one header per value); a multi-byte key.
    record: {
      offsetDelta: 3,
      timestampDelta: 1234567,
      key: 'k€y',
      value: Buffer.alloc(300, 1),
      headers: { a: '1', ce_type: 'dev.x.Y', bin: Buffer.from([0, 255, 7]), many: ['x', 'yy'] },
    },
    sha256: 'f58cba6123b987e5771ae399b782d91fd09e2e5597d88aabd096c33a04462db4',
  },
  {
    // Lengths that need 2- and 3-byte varints, a null value, a record larger than any pool slab.
    record: {
      offsetDelta: 200000,
      timestampDelta: -5,
      key: Buffer.alloc(20000, 2),
      value: null,
      headers: { long: 'z'.repeat(70000), ümlaut: 'wert' },
    },
    sha256: 'bc48b0bac087f0dffe541e720651a8f842d136945025279befcf0b1a07375726',
  },
  {
    // The largest and smallest 32-bit varints (5 bytes each, zigzag encoded), empty key and value.
    record: {
      offsetDelta: 2147483647,
      timestampDelta: 9007199254740,
      key: '',
      value: Buffer.alloc(0),
      headers: { e: '' },
    },
    sha256: 'ba95faea127a3e7a8e8d658521b502ae52571e6c1c9be392b3b2b2b402dc1300',
  },
  {
    record: { offsetDelta: -2147483648, timestampDelta: 0, key: 'k', value: Buffer.from('x'), headers: {} },
    sha256: '5d5a6a2fbaede049c22937d465a1d38502a3985d4902be4a58119cbadf5b9bd0',
  },
]

test('the patched kafkajs encodes every record byte for byte as unpatched kafkajs 2.2.4 does', () => {
  for (const { record, sha256 } of cases) {
    // Twice: the pooled buffers of the first encoding must not leak into the second.
    for (let round = 0; round < 2; round++) {
      const digest = createHash('sha256').update(encodeRecord(record).buffer).digest('hex')
      assert.equal(
        digest,
        sha256,
        JSON.stringify(record, (_, v) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 10)}…` : v)),
      )
    }
  }
})

test('the patched kafkajs encodes record batches and produce requests byte for byte as unpatched kafkajs 2.2.4 does', async () => {
  // Records of several sizes, so the batch passes many powers of two; a transactional batch.
  const records = Array.from({ length: 120 }, (_, i) =>
    encodeRecord({
      offsetDelta: i,
      timestampDelta: i * 3,
      key: `key-${i}`,
      value: Buffer.alloc(50 + (i % 7) * 100, i),
      headers: {
        ce_id: `id-${i}`,
        ce_type: 'dev.x.Y',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    }),
  )
  const batch = await RecordBatch({
    records,
    firstTimestamp: 1700000000000,
    maxTimestamp: 1700000000357,
    producerId: 42,
    producerEpoch: 3,
    firstSequence: 17,
    transactional: true,
  })
  assert.equal(sha256(batch.buffer), '2b8edfc71442cc42e4d805bb415f7bd9083899fb3a36334d03a3eb4fddba2c4d')
  const empty = await RecordBatch({ records: [], firstTimestamp: 1700000000000, maxTimestamp: 1700000000000 })
  assert.equal(sha256(empty.buffer), '42c3f22b4f62797a07d1acf6ebefc87c5527023cacce9d1332aa70dc22af1aa1')
  // A whole produce request: two partitions of one topic, in a transaction.
  const messages = Array.from({ length: 30 }, (_, i) => ({
    key: `k${i}`,
    value: Buffer.alloc(200, i),
    headers: { a: String(i) },
    timestamp: String(1700000000000 + i),
  }))
  const request = produceRequest({
    acks: -1,
    timeout: 30000,
    transactionalId: 'tx-1',
    producerId: 7,
    producerEpoch: 1,
    compression: 0,
    topicData: [
      {
        topic: 'payments',
        partitions: [
          { partition: 0, firstSequence: 5, messages },
          { partition: 3, firstSequence: 0, messages: messages.slice(0, 4) },
        ],
      },
    ],
  })
  assert.equal(
    sha256((await request.encode()).buffer),
    '959a1bafd73ba3d0d5c6d412c22e8e393018598c622a0556221ff2aabb3d6051',
  )
  // Framed as it goes on the socket (size, api key and version, correlation id, client id), without a transaction.
  const plain = produceRequest({
    acks: -1,
    timeout: 30000,
    transactionalId: null,
    compression: 0,
    topicData: [{ topic: 'ledger', partitions: [{ partition: 1, firstSequence: 0, messages }] }],
  })
  const framed = await frameRequest({ correlationId: 77, clientId: 'ingest-gateway', request: plain })
  assert.equal(sha256(framed.buffer), '6413397ff78c165d905c4bf6837bc27c30c7524209598ac027642100b4180e04')
})

test('murmur2 gives the hashes of the Java client (its UtilsTest vectors) and of unpatched kafkajs', () => {
  // org.apache.kafka.common.utils.UtilsTest#testMurmur2: the partitions Java producers choose.
  const java: Record<string, number> = {
    '21': -973932308,
    foobar: -790332482,
    'a-little-bit-long-string': -985981536,
    'a-little-bit-longer-string': -1486304829,
    lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8: -58897971,
    abc: 479470107,
  }
  for (const [key, hash] of Object.entries(java)) {
    assert.equal(murmur2(key), hash, key)
    assert.equal(murmur2(Buffer.from(key)), hash, `${key} as bytes`)
  }
  // Keys of every length 0..39 (each tail case) and a few strings, hashed by unpatched kafkajs 2.2.4.
  const hashes: number[] = []
  for (let i = 0; i < 200; i++) {
    hashes.push(
      murmur2(
        createHash('sha256')
          .update(String(i))
          .digest()
          .subarray(0, i % 40),
      ),
    )
  }
  for (const key of ['', 'a', 'ab', 'abc', 'sensor-temp-0815', 'k€y', 'user-mallory', 'acct-alice']) {
    hashes.push(murmur2(key))
  }
  assert.equal(
    createHash('sha256').update(hashes.join(',')).digest('hex'),
    'f2f4311aaec2b2af7b8de9e154e15309552658695741bcf838b090ecc104586a',
  )
})

test('grouping a send by partition keeps every message once, in order within its partition', () => {
  const messages = Array.from({ length: 50 }, (_, i) => ({ value: String(i), partition: (i * 7) % 3 }))
  const grouped = groupMessagesPerPartition({
    topic: 't',
    partitionMetadata: [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1 })),
    messages,
    partitioner: ({ message }) => message['partition'] as number,
  })
  assert.deepEqual(Object.keys(grouped).sort(), ['0', '1', '2'])
  for (const partition of [0, 1, 2]) {
    assert.deepEqual(
      grouped[partition],
      messages.filter((message) => message.partition === partition),
    )
  }
  assert.deepEqual(
    groupMessagesPerPartition({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 }),
    {},
  )
})

test('the installed kafkajs carries the patch (npm ci applies it through patch-package)', () => {
  for (const file of [
    'src/protocol/encoder.js',
    'src/protocol/recordBatch/record/v0/index.js',
    'src/producer/partitioners/default/murmur2.js',
    'src/producer/partitioners/legacy/partitioner.js',
    'src/producer/groupMessagesPerPartition.js',
    'src/protocol/recordBatch/v0/index.js',
    'src/protocol/request.js',
    'src/protocol/requests/produce/v3/request.js',
    // Behaviour, tested against the broker in test/integration/kafka/kafkajs-patch.test.ts.
    'src/admin/index.js',
    'src/cluster/brokerPool.js',
    'src/cluster/index.js',
    'src/protocol/requests/metadata/v0/response.js',
  ]) {
    const source = readFileSync(require.resolve(`kafkajs/${file}`), 'utf8')
    assert.match(source, /event-backbone patch/, `${file} is patched`)
  }
})
