import { validateTopicName } from '#libs/kafka'
import type { ConsumerGroupOptions } from '../types.ts'
import { checkPolicy, throwIfProblems } from './validate.ts'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function positiveInteger(problems: string[], path: string, value: unknown, max = 3_600_000): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    problems.push(`${path} needs to be a whole number ≥ 1 and ≤ ${max}`)
  }
}

/**
 * Validates a whole consumer group definition before anything connects, so a typo fails at
 * start-up with every problem listed and each one naming its field.
 */
export function validateGroupOptions(options: unknown): asserts options is ConsumerGroupOptions {
  const problems: string[] = []
  if (!isObject(options)) {
    throwIfProblems(['the consumer group options need to be an object'], 'consumer group')
    return
  }
  const groupId = options['groupId']
  if (typeof groupId !== 'string' || groupId.trim().length === 0 || groupId.length > 200) {
    problems.push('groupId needs to be a non-empty string of at most 200 characters')
  }
  checkPolicy(problems, 'defaults', options['defaults'])
  const subscriptions = options['subscriptions']
  if (!Array.isArray(subscriptions) || subscriptions.length === 0) {
    problems.push('subscriptions needs to be a non-empty array')
  } else {
    const seen = new Set<string>()
    subscriptions.forEach((sub: unknown, i) => {
      const path = `subscriptions[${i}]`
      if (!isObject(sub)) {
        problems.push(`${path} needs to be an object with topic, decode and handler`)
        return
      }
      const topic = sub['topic']
      if (typeof topic !== 'string') problems.push(`${path}.topic needs to be a topic name`)
      else {
        try {
          validateTopicName(topic)
        } catch (error) {
          problems.push(`${path}.topic: ${(error as Error).message}`)
        }
        if (seen.has(topic)) problems.push(`${path}.topic "${topic}" is subscribed twice`)
        seen.add(topic)
      }
      const decode = sub['decode']
      if (!isObject(decode) || typeof decode['decode'] !== 'function') {
        problems.push(`${path}.decode needs to be a decoder: an object with a decode(bytes, record) method`)
      }
      if (typeof sub['handler'] !== 'function') problems.push(`${path}.handler needs to be a function`)
      const hooks = sub['hooks']
      if (hooks !== undefined) {
        if (!isObject(hooks))
          problems.push(`${path}.hooks needs to be an object of onAssign, onRevoke, onRewind`)
        else {
          for (const [name, hook] of Object.entries(hooks)) {
            if (!['onAssign', 'onRevoke', 'onRewind'].includes(name)) {
              problems.push(`${path}.hooks.${name} is not a known hook (known: onAssign, onRevoke, onRewind)`)
            } else if (typeof hook !== 'function')
              problems.push(`${path}.hooks.${name} needs to be a function`)
          }
        }
      }
      if (sub['filter'] !== undefined && typeof sub['filter'] !== 'function') {
        problems.push(`${path}.filter needs to be a function (value, record) => boolean`)
      }
      checkPolicy(problems, `${path}.policy`, sub['policy'])
    })
  }
  const eos = options['exactlyOnce']
  if (eos !== undefined) {
    if (!isObject(eos)) problems.push('exactlyOnce needs to be an object')
    else {
      positiveInteger(problems, 'exactlyOnce.maxBatchRecords', eos['maxBatchRecords'], 100_000)
      positiveInteger(problems, 'exactlyOnce.flushRecords', eos['flushRecords'], 100_000)
      positiveInteger(problems, 'exactlyOnce.transactionTimeoutMs', eos['transactionTimeoutMs'], 900_000)
    }
  }
  positiveInteger(problems, 'shutdownTimeoutMs', options['shutdownTimeoutMs'])
  positiveInteger(problems, 'commitIntervalMs', options['commitIntervalMs'])
  const tuning = options['consumer']
  if (tuning !== undefined) {
    if (!isObject(tuning)) problems.push('consumer needs to be an object')
    else {
      for (const key of ['sessionTimeout', 'rebalanceTimeout', 'heartbeatInterval', 'maxWaitTimeInMs']) {
        positiveInteger(problems, `consumer.${key}`, tuning[key])
      }
      positiveInteger(problems, 'consumer.maxBytesPerPartition', tuning['maxBytesPerPartition'], 2 ** 30)
      positiveInteger(problems, 'consumer.maxBytes', tuning['maxBytes'], 2 ** 30)
    }
  }
  throwIfProblems(problems, `consumer group ${typeof groupId === 'string' ? `"${groupId}"` : ''}`.trim())
}
