// Proves that rules registered through this registry run in Confluent's JavaScript serdes, through Kafka: a CEL condition refuses a record that breaks it, and a JSONata migration lets a consumer on the old major version read the new one.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import {
  AvroDeserializer,
  AvroSerializer,
  CelExecutor,
  JsonataExecutor,
  type Rule,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry'
import { collect, produce } from '../../helpers/consumer.ts'
import { createTestTopics, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { avroNamespace, recordSchema, registryForFile } from '../../helpers/registry-file.ts'

CelExecutor.register()
JsonataExecutor.register()

const registry = registryForFile()
let confluent: SchemaRegistryClient | undefined
const client = () => {
  confluent ??= new SchemaRegistryClient({ baseURLs: [registry().url], maxRetries: 0 })
  return confluent
}
after(() => confluent?.close())

const rule = (fields: Partial<Rule> & Pick<Rule, 'name' | 'type'>): Rule =>
  ({ disabled: false, ...fields }) as Rule

test("a CEL condition rule makes Confluent's serializer refuse a record that breaks it", async (t) => {
  const topic = uniqueName('rules-cel')
  await createTestTopics(t, [{ topic, numPartitions: 1 }])
  const schema = recordSchema(
    'Payment',
    [
      { name: 'id', type: 'string' },
      { name: 'amount', type: 'long' },
    ],
    avroNamespace(),
  )
  await client().register(
    `${topic}-value`,
    {
      schemaType: 'AVRO',
      schema,
      ruleSet: {
        domainRules: [
          rule({
            name: 'positiveAmount',
            kind: 'CONDITION',
            mode: 'WRITE' as Rule['mode'],
            type: 'CEL',
            expr: 'message.amount > 0',
            onFailure: 'ERROR',
          }),
        ],
      },
    },
    false,
  )
  const serializer = new AvroSerializer(client(), SerdeType.VALUE, {
    useLatestVersion: true,
    autoRegisterSchemas: false,
  })
  await assert.rejects(serializer.serialize(topic, { id: 'p-1', amount: -5 }), /positiveAmount|condition/i)

  const bytes = await serializer.serialize(topic, { id: 'p-2', amount: 5 })
  const kafka = testKafka()
  await produce(t, kafka, topic, [{ key: 'p-2', value: bytes }])
  const records = await collect(t, kafka, [topic])
  await waitFor(() => records.length === 1, { description: 'the valid record' })
  const deserializer = new AvroDeserializer(client(), SerdeType.VALUE, {})
  const decoded = (await deserializer.deserialize(topic, records[0]!.message.value!)) as Record<
    string,
    unknown
  >
  assert.equal(decoded['id'], 'p-2')
  assert.equal(Number(decoded['amount']), 5)
})

test('a migration rule lets a consumer on the old major version read records of the new one', async (t) => {
  const topic = uniqueName('rules-migration')
  const subject = `${topic}-value`
  await createTestTopics(t, [{ topic, numPartitions: 1 }])
  const ns = avroNamespace()
  // v1 calls the amount `amount`; v2 renames it to `total`, a breaking change allowed by the
  // compatibility group because it starts major version 2.
  const v1 = recordSchema(
    'Payment',
    [
      { name: 'id', type: 'string' },
      { name: 'amount', type: 'long' },
    ],
    ns,
  )
  const v2 = recordSchema(
    'Payment',
    [
      { name: 'id', type: 'string' },
      { name: 'total', type: 'long' },
    ],
    ns,
  )
  await client().updateConfig(subject, { compatibilityGroup: 'application.major.version' })
  await client().register(
    subject,
    { schemaType: 'AVRO', schema: v1, metadata: { properties: { 'application.major.version': '1' } } },
    false,
  )
  await client().register(
    subject,
    {
      schemaType: 'AVRO',
      schema: v2,
      metadata: { properties: { 'application.major.version': '2' } },
      ruleSet: {
        migrationRules: [
          rule({
            name: 'totalToAmount',
            kind: 'TRANSFORM',
            mode: 'DOWNGRADE' as Rule['mode'],
            type: 'JSONATA',
            expr: "$merge([$sift($, function($v, $k) {$k != 'total'}), {'amount': $.'total'}])",
          }),
          rule({
            name: 'amountToTotal',
            kind: 'TRANSFORM',
            mode: 'UPGRADE' as Rule['mode'],
            type: 'JSONATA',
            expr: "$merge([$sift($, function($v, $k) {$k != 'amount'}), {'total': $.'amount'}])",
          }),
        ],
      },
    },
    false,
  )

  const producerV2 = new AvroSerializer(client(), SerdeType.VALUE, {
    useLatestWithMetadata: { 'application.major.version': '2' },
    autoRegisterSchemas: false,
  })
  const bytes = await producerV2.serialize(topic, { id: 'p-3', total: 42 })
  const kafka = testKafka()
  await produce(t, kafka, topic, [{ key: 'p-3', value: bytes }])
  const records = await collect(t, kafka, [topic])
  await waitFor(() => records.length === 1, { description: 'the v2 record' })

  const consumerV1 = new AvroDeserializer(client(), SerdeType.VALUE, {
    useLatestWithMetadata: { 'application.major.version': '1' },
  })
  const old = (await consumerV1.deserialize(topic, records[0]!.message.value!)) as Record<string, unknown>
  assert.equal(old['id'], 'p-3')
  assert.equal(Number(old['amount']), 42)
  assert.equal(old['total'], undefined)
})
