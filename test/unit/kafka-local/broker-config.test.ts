import assert from 'node:assert/strict'
import { test } from 'node:test'
import { log4j2Properties, newClusterId, parseBrokerList, serverProperties } from '#libs/kafka-local'

function parse(properties: string): Map<string, string> {
  return new Map(
    properties
      .trim()
      .split('\n')
      .map((line) => {
        const at = line.indexOf('=')
        return [line.slice(0, at), line.slice(at + 1)] as [string, string]
      }),
  )
}

test('configures one KRaft node that is broker and controller on loopback only', () => {
  const config = parse(
    serverProperties({ host: '127.0.0.1', ports: { broker: 19092, controller: 19093 }, dataDir: '/d' }),
  )
  assert.equal(config.get('process.roles'), 'broker,controller')
  assert.equal(config.get('controller.quorum.voters'), '1@127.0.0.1:19093')
  assert.equal(config.get('listeners'), 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093')
  assert.equal(config.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:19092')
  assert.equal(config.get('log.dirs'), '/d')
})

test('gives internal topics replication factor 1 and no initial rebalance delay', () => {
  const config = parse(
    serverProperties({ host: '127.0.0.1', ports: { broker: 1, controller: 2 }, dataDir: '/d' }),
  )
  for (const key of [
    'offsets.topic.replication.factor',
    'transaction.state.log.replication.factor',
    'transaction.state.log.min.isr',
    'share.coordinator.state.topic.replication.factor',
  ]) {
    assert.equal(config.get(key), '1', key)
  }
  assert.equal(config.get('group.initial.rebalance.delay.ms'), '0')
  assert.equal(config.get('auto.create.topics.enable'), 'false')
})

test('makes cluster ids in the 22-character base64url form Kafka expects', () => {
  const ids = new Set(Array.from({ length: 50 }, () => newClusterId()))
  assert.equal(ids.size, 50)
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/)
})

test('sends the broker log to a file and nothing to the console', () => {
  const config = log4j2Properties('/logs/server.log')
  assert.match(config, /appender\.file\.fileName = \/logs\/server\.log/)
  assert.doesNotMatch(config, /Console/)
})

test('parses a KAFKA_BROKERS list, ignoring blanks and spaces', () => {
  assert.deepEqual(parseBrokerList(' a:9092, b:9093 ,,'), ['a:9092', 'b:9093'])
})

test('a node of a 3-node cluster names itself, lists every voter and replicates internal topics 3 times', () => {
  const voters = [
    { nodeId: 1, controllerPort: 9001 },
    { nodeId: 2, controllerPort: 9002 },
    { nodeId: 3, controllerPort: 9003 },
  ]
  const config = parse(
    serverProperties({
      host: '127.0.0.1',
      ports: { broker: 8002, controller: 9002 },
      dataDir: '/d',
      nodeId: 2,
      voters,
    }),
  )
  assert.equal(config.get('node.id'), '2')
  assert.equal(config.get('controller.quorum.voters'), '1@127.0.0.1:9001,2@127.0.0.1:9002,3@127.0.0.1:9003')
  assert.equal(config.get('listeners'), 'PLAINTEXT://127.0.0.1:8002,CONTROLLER://127.0.0.1:9002')
  for (const key of [
    'default.replication.factor',
    'offsets.topic.replication.factor',
    'transaction.state.log.replication.factor',
  ]) {
    assert.equal(config.get(key), '3', key)
  }
  assert.equal(config.get('min.insync.replicas'), '2')
  assert.equal(config.get('transaction.state.log.min.isr'), '2')
})
