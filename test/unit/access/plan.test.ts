import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AccessManifestError } from '@event-backbone/errors'
import {
  type AccessManifest,
  accessManifest,
  describeBinding,
  diffAcls,
  managedPrincipals,
  planAcls,
} from '#libs/access'
import { idPrefix } from '#libs/kafka'
import { registryService, stackServices } from '#libs/stack'

const plan = planAcls(accessManifest)
const of = (principal: string) =>
  plan.filter((binding) => binding.principal === `User:${principal}`).map(describeBinding)

test('payments-ledger gets exactly its topics, its group, its group-owned topics, its store restore groups and its transactional ids', () => {
  assert.deepEqual(of('payments-ledger').sort(), [
    'User:payments-ledger  GROUP payments-ledger (LITERAL)  READ',
    'User:payments-ledger  GROUP payments-ledger.posted-payments.changelog.restore. (PREFIXED)  READ',
    'User:payments-ledger  TOPIC ledger (LITERAL)  WRITE',
    'User:payments-ledger  TOPIC payments (LITERAL)  READ',
    'User:payments-ledger  TOPIC payments-ledger. (PREFIXED)  CREATE',
    'User:payments-ledger  TOPIC payments-ledger. (PREFIXED)  READ',
    'User:payments-ledger  TOPIC payments-ledger. (PREFIXED)  WRITE',
    'User:payments-ledger  TRANSACTIONAL_ID payments-ledger. (PREFIXED)  WRITE',
  ])
})

test('an at-least-once service gets no transactional id and the gateway only writes its input topics', () => {
  assert.ok(!of('login-monitor').some((line) => line.includes('TRANSACTIONAL_ID')))
  assert.deepEqual(of('ingest-gateway').sort(), [
    'User:ingest-gateway  TOPIC logins (LITERAL)  WRITE',
    'User:ingest-gateway  TOPIC payments (LITERAL)  WRITE',
    'User:ingest-gateway  TOPIC sensor-readings (LITERAL)  WRITE',
    'User:ingest-gateway  TOPIC uploads (LITERAL)  WRITE',
  ])
})

test('no binding grants a wildcard, a cluster operation, or anything to the super user', () => {
  for (const binding of plan) {
    assert.notEqual(binding.resourceName, '*')
    assert.notEqual(binding.resourceName, '')
    assert.notEqual(binding.resourceType, 'CLUSTER')
    assert.notEqual(binding.principal, 'User:admin')
    assert.equal(binding.permission, 'ALLOW')
  }
})

test("only the replayer may write to a group's retry topics other than the group itself", () => {
  const writers = plan.filter(
    (binding) =>
      binding.resourceType === 'TOPIC' &&
      binding.operation === 'WRITE' &&
      'payments-ledger.payments.retry.1'.startsWith(binding.resourceName) &&
      (binding.patternType === 'PREFIXED' || binding.resourceName === 'payments-ledger.payments.retry.1'),
  )
  assert.deepEqual(writers.map((binding) => binding.principal).sort(), [
    'User:dlq-console',
    'User:payments-ledger',
  ])
})

test('the replayer reads every dead-letter topic by name and owns its job topics and replay- transactional ids', () => {
  const lines = of('dlq-console')
  for (const group of ['upload-processor.uploads', 'payments-ledger.payments', 'login-monitor.logins']) {
    assert.ok(lines.includes(`User:dlq-console  TOPIC ${group}.dlt (LITERAL)  READ`))
    assert.ok(lines.includes(`User:dlq-console  TOPIC ${group}.retry. (PREFIXED)  WRITE`))
  }
  assert.ok(lines.includes('User:dlq-console  TRANSACTIONAL_ID replay- (PREFIXED)  WRITE'))
  // It reads the services' input topics (the console's group view and offset reset) but never writes them.
  assert.ok(!lines.some((line) => / TOPIC (payments|uploads|logins|sensor-readings) .*WRITE/.test(line)))
})

test('the replayer may read and reset the offsets of every service group, retry tiers included, and of no other group', () => {
  const lines = of('dlq-console')
  for (const [group, topic] of [
    ['upload-processor', 'uploads'],
    ['payments-ledger', 'payments'],
    ['login-monitor', 'logins'],
  ]) {
    assert.ok(lines.includes(`User:dlq-console  GROUP ${group} (LITERAL)  READ`))
    assert.ok(lines.includes(`User:dlq-console  TOPIC ${topic} (LITERAL)  READ`))
    assert.ok(lines.includes(`User:dlq-console  TOPIC ${group}.${topic}.retry. (PREFIXED)  READ`))
  }
  const groups = plan.filter(
    (binding) => binding.principal === 'User:dlq-console' && binding.resourceType === 'GROUP',
  )
  assert.ok(
    groups.every(
      (binding) => binding.patternType === 'LITERAL' || binding.resourceName === idPrefix.dlqReaderGroup,
    ),
  )
})

test('every service of the stack and the registry has a principal in the manifest', () => {
  const managed = managedPrincipals(accessManifest)
  for (const service of [...stackServices, registryService]) {
    assert.ok(managed.includes(`User:${service.name}`), `${service.name} has no principal`)
  }
})

test('an unknown event type, a group with a dot or a shared group is refused', () => {
  const base = accessManifest as AccessManifest
  const withService = (service: object) => ({ ...base, services: { ...base.services, extra: service } })
  assert.throws(
    () => planAcls(withService({ publishes: ['NoSuchEvent'] }) as AccessManifest),
    AccessManifestError,
  )
  assert.throws(
    () => planAcls(withService({ publishes: [], consumes: ['UserLogin'], group: 'a.b' }) as AccessManifest),
    AccessManifestError,
  )
  assert.throws(
    () =>
      planAcls(
        withService({ publishes: [], consumes: ['UserLogin'], group: 'login-monitor' }) as AccessManifest,
      ),
    AccessManifestError,
  )
})

test("the diff adds what is missing and removes only managed principals' extra bindings", () => {
  const [first, ...rest] = plan
  const stray = { ...first!, resourceName: 'uploads', operation: 'READ' as const }
  const foreign = { ...first!, principal: 'User:someone-else' }
  const diff = diffAcls(
    plan,
    [...rest, stray, foreign].map((binding) => ({ binding })),
    managedPrincipals(accessManifest),
  )
  assert.deepEqual(diff.toAdd, [first])
  assert.deepEqual(diff.toRemove, [stray])
})

test('a second user of a service (credential rotation) gets the same grants and is managed', () => {
  const base = accessManifest as AccessManifest
  const manifest: AccessManifest = {
    ...base,
    services: {
      ...base.services,
      'login-monitor': { ...base.services['login-monitor']!, alsoAs: ['login-monitor-2'] },
    },
  }
  const lines = (principal: string) =>
    planAcls(manifest)
      .filter((binding) => binding.principal === `User:${principal}`)
      .map((binding) => describeBinding(binding).replace(`User:${principal}`, ''))
  assert.deepEqual(lines('login-monitor-2'), lines('login-monitor'))
  assert.ok(managedPrincipals(manifest).includes('User:login-monitor-2'))
})
