import { createHash } from 'node:crypto'
import { TopicNameError } from '@event-backbone/errors'
import { topicSuffix } from '../wire/topics.ts'

/** Kafka's own limits (kafka.common.internals.Topic): legal characters and at most 249 of them. */
export const maxTopicNameLength = 249
const legal = /^[a-zA-Z0-9._-]+$/
const illegalChar = /[^a-zA-Z0-9._-]/g

/** Throws TopicNameError when Kafka would refuse `name`. */
export function validateTopicName(name: string): string {
  const why =
    name.length === 0
      ? 'is empty'
      : name === '.' || name === '..'
        ? 'cannot be "." or ".."'
        : name.length > maxTopicNameLength
          ? `is ${name.length} characters long, more than Kafka's ${maxTopicNameLength}`
          : !legal.test(name)
            ? 'may only contain the characters a-z, A-Z, 0-9, ".", "_" and "-"'
            : undefined
  if (why) throw new TopicNameError(`topic name "${name.slice(0, 300)}" ${why}`, { context: { topic: name } })
  return name
}

function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length)
}

/**
 * A group id may hold any character; topic names may not. Illegal characters become "_" and a hash
 * of the original id is appended, so "a b" and "a_b" never share retry topics.
 */
function groupPart(groupId: string): string {
  if (legal.test(groupId) && groupId !== '.' && groupId !== '..') return groupId
  return `${groupId.replace(illegalChar, '_')}-${shortHash(groupId, 8)}`
}

/**
 * `<group>.<topic><suffix>`, shortened deterministically when too long: the head is cut and a hash
 * of the whole untruncated name keeps it unique, while the suffix (".retry.2", ".dlt") stays readable.
 */
function ownedTopic(groupId: string, topic: string, suffix: string): string {
  validateTopicName(topic)
  const full = `${groupPart(groupId)}.${topic}${suffix}`
  if (full.length <= maxTopicNameLength) return full
  const hash = `-${shortHash(`${groupId}\u0000${topic}`, 12)}`
  const head = full.slice(0, maxTopicNameLength - suffix.length - hash.length)
  return validateTopicName(`${head}${hash}${suffix}`)
}

/** The group's retry topic for tier `tier` (1-based) of records from `topic`. */
export function retryTopicName(groupId: string, topic: string, tier: number): string {
  if (!Number.isInteger(tier) || tier < 1) throw new RangeError(`retry tier needs to be ≥ 1, got ${tier}`)
  return ownedTopic(groupId, topic, `${topicSuffix.retry}${tier}`)
}

/** The group's dead-letter topic for records from `topic`. */
export function deadLetterTopicName(groupId: string, topic: string): string {
  return ownedTopic(groupId, topic, topicSuffix.deadLetter)
}

/**
 * `<group>.<store>.changelog`: the compacted topic behind a state store of the group (libs/state),
 * named and shortened like the retry and dead-letter topics.
 */
export function changelogTopicName(groupId: string, store: string): string {
  return ownedTopic(groupId, store, topicSuffix.changelog)
}

/** A transactional id per input partition (kafkajs has no KIP-447, so fencing is per partition). */
export function transactionalIdFor(groupId: string, topic: string, partition: number): string {
  const id = `${groupId}.${topic}.${partition}`
  // Transactional ids have no character rules, but keep them bounded like topic names.
  return id.length <= maxTopicNameLength ? id : `${id.slice(0, 200)}-${shortHash(id, 16)}`
}
