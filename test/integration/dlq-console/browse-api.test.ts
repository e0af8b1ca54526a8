// Proves the console's topic browser reads a real topic by offset, by time and by key, decodes Avro through the registry (raw bytes with the reason when it cannot), filters by field or substring, stays within its bounds, and answers bad queries with a 400 naming the parameter.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browse } from '../../../services/dlq-console/src/browse/browse.ts'
import { parseBrowseQuery } from '../../../services/dlq-console/src/browse/browse-query.ts'
import { produce } from '../../helpers/consumer.ts'
import { order, orderSerde } from '../../helpers/dlq.ts'
import { callConsole, testConsole } from '../../helpers/dlq-console.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName } from '../../helpers/kafka.ts'

test('the browser finds records by offset, time and key, decodes them, and filters by field and substring', async (t) => {
  const kafka = testKafka()
  const { serde, schemaId } = await orderSerde(t)
  const topic = uniqueName('orders')
  await createTestTopics(t, [{ topic, numPartitions: 2 }], kafka)
  const base = Date.now() - 60_000
  await produce(t, kafka, topic, [
    ...Array.from({ length: 6 }, (_, i) => ({
      key: `order-${i}`,
      value: order(`e-${i}`, i * 100, schemaId),
      partition: i % 2,
      timestamp: String(base + i * 1_000),
    })),
    {
      key: 'broken',
      value: Buffer.from([0, 0, 0, 0x7f, 0x7f, 1, 2]),
      partition: 0,
      timestamp: String(base + 10_000),
    },
  ])
  const { http } = await testConsole(t, kafka, { serde })
  const get = async (query: string) => callConsole(http.url, 'GET', `/api/browse/${topic}?${query}`)

  const byOffset = await get('partition=1&offset=1&limit=1')
  assert.equal(byOffset.status, 200)
  assert.equal(byOffset.body.records.length, 1)
  assert.equal(byOffset.body.records[0].key.text, 'order-3')
  assert.equal(byOffset.body.records[0].value.kind, 'avro')
  assert.equal(byOffset.body.records[0].value.value.eventId, 'e-3')
  assert.deepEqual(byOffset.body.next, { partition: 1, offset: '2' })

  const byTime = await get(`timestamp=${new Date(base + 3_500).toISOString()}`)
  assert.deepEqual(
    byTime.body.records.map((r: { key: { text: string } }) => r.key.text),
    ['order-4', 'order-5', 'broken'],
  )

  const byKey = await get('key=order-2&scan=10')
  assert.deepEqual(
    byKey.body.records.map((r: { value: { value: { amount: number } } }) => r.value.value.amount),
    [200],
  )
  assert.deepEqual(
    byKey.body.ranges.map((r: { from: string; to: string }) => [r.from, r.to]),
    [
      ['0', '4'],
      ['0', '3'],
    ],
  )

  const filtered = await get('where=amount>=300')
  assert.deepEqual(filtered.body.records.map((r: { key: { text: string } }) => r.key.text).sort(), [
    'order-3',
    'order-4',
    'order-5',
  ])
  const text = await get('q=E-1')
  assert.deepEqual(
    text.body.records.map((r: { key: { text: string } }) => r.key.text),
    ['order-1'],
  )

  const broken = await get('key=broken')
  assert.equal(broken.body.records[0].value.kind, 'bytes')
  assert.equal(
    broken.body.records[0].value.base64,
    Buffer.from([0, 0, 0, 0x7f, 0x7f, 1, 2]).toString('base64'),
  )
  assert.ok(broken.body.records[0].value.error, 'the reason it did not decode')

  const latest = await get('limit=2')
  assert.deepEqual(
    latest.body.records.map((r: { key: { text: string } }) => r.key.text),
    ['broken', 'order-5'],
  )
})

test('the browser answers a bad query with a 400 naming the parameter and an unknown topic with a 404', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  await createTestTopics(t, [{ topic }], kafka)
  const { http } = await testConsole(t, kafka)
  const cases: [string, RegExp][] = [
    ['offset=5', /partition is needed with offset/],
    ['partition=0&offset=-1', /offset needs to be a non-negative offset/],
    ['limit=100000', /limit needs to be a whole number from 1 to 200/],
    ['scan=0', /scan needs/],
    ['timestamp=yesterday', /timestamp needs/],
    ['key=a&partition=0&offset=1', /alternatives/],
    ['where=%3D%3D5', /where cannot read/],
    ['colour=red', /colour is not a parameter/],
    ['partition=7', /partition 7 does not exist/],
  ]
  for (const [query, message] of cases) {
    const answer = await callConsole(http.url, 'GET', `/api/browse/${topic}?${query}`)
    assert.equal(answer.status, 400, query)
    assert.match(answer.body.message, message, query)
  }
  assert.equal((await callConsole(http.url, 'GET', `/api/browse/${uniqueName('absent')}`)).status, 404)
  const catalog = await callConsole(http.url, 'GET', '/api/catalog/topics')
  assert.ok(catalog.body.topics.some((entry: { topic: string }) => entry.topic === 'payments'))
})

test('a browse that runs out of time answers with what it read, marked timeout', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(
    t,
    kafka,
    topic,
    Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
  )
  const admin = await testAdmin(t, kafka)
  const page = await browse({
    kafka,
    admin,
    serde: undefined,
    topic,
    query: parseBrowseQuery({ key: 'k3' }),
    // Shorter than joining the reader's group: nothing can be read in time.
    timeoutMs: 1,
  })
  assert.equal(page.stopped, 'timeout')
  assert.equal(page.scanned, 0)
  assert.deepEqual(page.records, [])
  assert.deepEqual(page.ranges, [{ partition: 0, from: '0', to: '20' }])
})
