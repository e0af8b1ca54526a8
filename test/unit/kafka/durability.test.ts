import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  defaultDurability,
  durabilityFor,
  parseDurabilityProfile,
  specDurability,
  TopicFamily,
  topicFamilies,
} from '#libs/kafka'

test('the default replication factor is the broker count up to 3, and min ISR one less, at least 1', () => {
  assert.deepEqual(defaultDurability(1), { replicationFactor: 1, minInsyncReplicas: 1 })
  assert.deepEqual(defaultDurability(2), { replicationFactor: 2, minInsyncReplicas: 1 })
  assert.deepEqual(defaultDurability(3), { replicationFactor: 3, minInsyncReplicas: 2 })
  assert.deepEqual(defaultDurability(6), { replicationFactor: 3, minInsyncReplicas: 2 })
})

test('every family gets the default when the profile overrides nothing', () => {
  for (const family of topicFamilies) {
    assert.deepEqual(durabilityFor(family, 3), { replicationFactor: 3, minInsyncReplicas: 2 })
  }
})

test('an override of one family leaves the other families at the default', () => {
  const profile = { [TopicFamily.deadLetter]: { replicationFactor: 2, minInsyncReplicas: 2 } }
  assert.deepEqual(durabilityFor(TopicFamily.deadLetter, 5, profile), {
    replicationFactor: 2,
    minInsyncReplicas: 2,
  })
  assert.deepEqual(durabilityFor(TopicFamily.domain, 5, profile), {
    replicationFactor: 3,
    minInsyncReplicas: 2,
  })
})

test('overriding only the replication factor derives min ISR from it', () => {
  assert.deepEqual(durabilityFor(TopicFamily.changelog, 5, { changelog: { replicationFactor: 5 } }), {
    replicationFactor: 5,
    minInsyncReplicas: 4,
  })
})

test('overriding only min ISR keeps the default replication factor', () => {
  assert.deepEqual(durabilityFor(TopicFamily.registry, 3, { registry: { minInsyncReplicas: 3 } }), {
    replicationFactor: 3,
    minInsyncReplicas: 3,
  })
})

test('a min ISR above the replication factor is refused, since no acks=all write could succeed', () => {
  assert.throws(
    () => durabilityFor(TopicFamily.domain, 3, { domain: { minInsyncReplicas: 4 } }),
    /domain.minInsyncReplicas \(4\) cannot be more than its replicationFactor \(3\)/,
  )
  assert.throws(() => durabilityFor(TopicFamily.domain, 3, { domain: { replicationFactor: 0 } }), RangeError)
})

test('a topic spec names its family and may override the family for itself', () => {
  assert.deepEqual(specDurability({ topic: 'a', numPartitions: 1, family: TopicFamily.retry }, 3), {
    replicationFactor: 3,
    minInsyncReplicas: 2,
  })
  assert.deepEqual(
    specDurability(
      { topic: 'a', numPartitions: 1, replicationFactor: 2, configs: { 'min.insync.replicas': '1' } },
      3,
    ),
    { replicationFactor: 2, minInsyncReplicas: 1 },
  )
})

test('BACKBONE_DURABILITY reads family:rf/minisr pairs and names the families when one is wrong', () => {
  assert.deepEqual(parseDurabilityProfile('domain:3/2, dead-letter:2'), {
    domain: { replicationFactor: 3, minInsyncReplicas: 2 },
    'dead-letter': { replicationFactor: 2 },
  })
  assert.deepEqual(parseDurabilityProfile(undefined), {})
  assert.throws(() => parseDurabilityProfile('ledger:3/2'), /family of domain, retry, dead-letter/)
})
