import { catalogEntry, isEventType } from '@event-backbone/catalog'
import { AccessManifestError } from '@event-backbone/errors'
import { changelogTopicName, deadLetterTopicName, idPrefix, retryTopicName } from '#libs/kafka'
import {
  type AclBinding,
  bindingKey,
  Operation,
  PatternType,
  ResourceType,
  sortBindings,
} from './bindings.ts'
import type { AccessManifest, ServiceAccess } from './manifest.ts'

const groupName = /^[a-zA-Z0-9_-][a-zA-Z0-9._-]*$/

function topicOf(eventType: string, principal: string): string {
  if (!isEventType(eventType)) {
    throw new AccessManifestError(`${principal} names unknown event type ${JSON.stringify(eventType)}`, {
      context: { principal, eventType },
    })
  }
  return catalogEntry(eventType).topic
}

function check(manifest: AccessManifest): void {
  const principals = [manifest.admin, manifest.registry.principal, manifest.replayer.principal]
  const groups = new Set<string>()
  for (const [name, service] of Object.entries(manifest.services)) {
    principals.push(name, ...(service.alsoAs ?? []))
    if (service.consumes?.length && !service.group) {
      throw new AccessManifestError(`${name} consumes events but has no group`, {
        context: { principal: name },
      })
    }
    if (service.group === undefined) continue
    // A group id without dots keeps the `<group>.` prefix from covering another group's topics.
    if (!groupName.test(service.group) || service.group.includes('.')) {
      throw new AccessManifestError(
        `${name}'s group ${JSON.stringify(service.group)} may only use a-z, A-Z, 0-9, "_" and "-"`,
        { context: { principal: name } },
      )
    }
    if (groups.has(service.group)) {
      throw new AccessManifestError(`group ${service.group} is given to two services`, {
        context: { principal: name },
      })
    }
    groups.add(service.group)
  }
  const seen = new Set<string>()
  for (const principal of principals) {
    if (seen.has(principal)) {
      throw new AccessManifestError(`principal ${principal} appears twice in the manifest`, {
        context: { principal },
      })
    }
    seen.add(principal)
  }
}

type Grant = (
  resourceType: AclBinding['resourceType'],
  patternType: AclBinding['patternType'],
  resourceName: string,
  ...operations: AclBinding['operation'][]
) => void

function granter(principal: string, out: AclBinding[]): Grant {
  return (resourceType, patternType, resourceName, ...operations) => {
    for (const operation of operations) {
      out.push({
        principal: `User:${principal}`,
        resourceType,
        resourceName,
        patternType,
        operation,
        host: '*',
        permission: 'ALLOW',
      })
    }
  }
}

const { topic, group, transactionalId } = ResourceType
const { literal, prefixed } = PatternType
const { read, write, create, describeConfigs } = Operation

// READ and WRITE imply DESCRIBE in Kafka's authorizer, and WRITE on any topic implies
// IDEMPOTENT_WRITE on the cluster (KIP-679), so neither is granted separately.
function planService(name: string, service: ServiceAccess, out: AclBinding[]): void {
  const grant = granter(name, out)
  for (const eventType of service.publishes) grant(topic, literal, topicOf(eventType, name), write)
  if (!service.group) return
  for (const eventType of service.consumes ?? []) grant(topic, literal, topicOf(eventType, name), read)
  grant(group, literal, service.group, read)
  // Its retry and dead-letter topics: the runtime creates them, writes failures there and reads retries.
  grant(topic, prefixed, `${service.group}.`, read, write, create)
  if (service.exactlyOnce) grant(transactionalId, prefixed, `${service.group}.`, write)
  // A store's restore reads its changelog (covered by the prefix above) in a group of its own.
  for (const store of service.stores ?? []) {
    grant(group, prefixed, `${changelogTopicName(service.group, store)}${idPrefix.restoreGroupInfix}`, read)
  }
}

function planReplayer(manifest: AccessManifest, out: AclBinding[]): void {
  const { replayer } = manifest
  const grant = granter(replayer.principal, out)
  for (const [name, service] of Object.entries(manifest.services)) {
    if (!service.group) continue
    // The console's consumer-group view and offset reset (libs/groups): describing the group, fetching
    // and committing its offsets need READ on the group and on every topic it reads, retry tiers too.
    grant(group, literal, service.group, read)
    for (const eventType of service.consumes ?? []) {
      const source = topicOf(eventType, name)
      grant(topic, literal, source, read)
      grant(topic, literal, deadLetterTopicName(service.group, source), read)
      // Tier 1 is the default replay target; the prefix covers every tier of this group and topic only.
      // DESCRIBE_CONFIGS: a job sizes its transactions from the target's max.message.bytes.
      grant(
        topic,
        prefixed,
        retryTopicName(service.group, source, 1).replace(/1$/, ''),
        read,
        write,
        describeConfigs,
      )
    }
  }
  for (const bookkeeping of [replayer.jobsTopic, replayer.auditTopic]) {
    grant(topic, literal, bookkeeping, read, write, create)
  }
  grant(group, prefixed, replayer.readerGroupPrefix, read)
  grant(transactionalId, prefixed, replayer.transactionalIdPrefix, write)
}

function planRegistry(manifest: AccessManifest, out: AclBinding[]): void {
  const { principal, topic: storage } = manifest.registry
  const grant = granter(principal, out)
  // It creates its topic when missing and checks that the topic is compacted.
  grant(topic, literal, storage, read, write, create, describeConfigs)
  grant(group, prefixed, `${idPrefix.registry}${storage}-`, read)
  grant(transactionalId, literal, `${idPrefix.registry}${storage}`, write)
}

/**
 * The least-privilege ACL set of a manifest: every service writes only its own output topics, reads
 * only its subscribed topics and its own group and group-owned topics, and uses only its own
 * transactional ids; the replayer alone writes to other groups' retry topics. The admin is a super
 * user and has no bindings. No binding names a wildcard topic.
 */
export function planAcls(manifest: AccessManifest): AclBinding[] {
  check(manifest)
  const out: AclBinding[] = []
  for (const [name, service] of Object.entries(manifest.services)) {
    for (const principal of [name, ...(service.alsoAs ?? [])]) planService(principal, service, out)
  }
  planRegistry(manifest, out)
  planReplayer(manifest, out)
  return sortBindings([...new Map(out.map((binding) => [bindingKey(binding), binding])).values()])
}

/** The principals a plan manages (`User:<name>`): the only ones whose ACLs apply may remove. */
export function managedPrincipals(manifest: AccessManifest): string[] {
  const services = Object.entries(manifest.services).flatMap(([name, service]) => [
    name,
    ...(service.alsoAs ?? []),
  ])
  return [...services, manifest.registry.principal, manifest.replayer.principal].map((name) => `User:${name}`)
}
