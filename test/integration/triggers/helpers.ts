import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { SecurityAlert } from '@event-backbone/catalog'
import type { Kafka } from 'kafkajs'
import { parseTriggers, startTriggerService, type TriggerService } from '#libs/triggers'
import { fastTuning } from '../../helpers/consumer.ts'
import { testBrokers, uniqueName } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'
import type { ServiceFixture } from '../services/helpers.ts'

export { serviceFixture } from '../services/helpers.ts'

/** A SecurityAlert of `userId` (the record key), with a fresh event id. */
export function alert(userId: string, extra: Partial<SecurityAlert> = {}): SecurityAlert {
  return { ...sampleEvents.SecurityAlert, eventId: randomUUID(), occurredAt: new Date(), userId, ...extra }
}

/**
 * Runs the trigger service in process on a triggers file's text (parsed by the real parser), with
 * test tuning and its own group prefix; groups' retry and dead-letter topics are deleted afterwards.
 */
export async function startTriggers(
  t: TestContext,
  fixture: ServiceFixture,
  yaml: string,
  env: Record<string, string> = {},
): Promise<TriggerService & { readonly prefix: string }> {
  const prefix = `${uniqueName('trig')}-`
  const service = await startTriggerService({
    kafka: fixture.kafka,
    triggers: parseTriggers(yaml).triggers,
    env: {
      KAFKA_BROKERS: testBrokers().join(','),
      SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
      LOG_LEVEL: 'silent',
      TRIGGER_GROUP_PREFIX: prefix,
      ...env,
    },
    group: { consumer: fastTuning, shutdownTimeoutMs: 15_000 },
  })
  t.after(async () => {
    await service.stop()
    await deleteTopicsWithPrefix(fixture.kafka, prefix)
  })
  return { ...service, prefix }
}

async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  const owned = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix))
  if (owned.length > 0) await admin.deleteTopics({ topics: owned }).catch(() => {})
  await admin.disconnect()
}

/** One trigger of SecurityAlert events for one user (the filter keeps other tests' alerts out). */
export function alertTrigger(name: string, url: string, userId: string, more = ''): string {
  return `triggers:
  - name: ${name}
    events: [SecurityAlert]
    url: ${url}
    startFrom: earliest
    filter:
      exact: { data.userId: ${userId} }
${more
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => `    ${line}`)
  .join('\n')}
`
}
