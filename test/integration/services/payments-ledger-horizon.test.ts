// Proves the ledger's dedupe horizon on a real broker: its changelog is compact,delete with the horizon's retention, a duplicate inside the horizon is skipped, an entry older than the horizon is not restored (so its duplicate is posted again), and a restart after SIGKILL mid-stream still dedupes.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { PaymentConfirmed } from '@event-backbone/catalog'
import type { ConfigResourceTypes } from 'kafkajs'
import { changelogTopicName } from '#libs/kafka'
import { retentionMsFor, segmentMsFor } from '#libs/state'
import { ledgerSubscriptions } from '../../../services/payments-ledger/handler.ts'
import { postedEntry, postingFor } from '../../../services/payments-ledger/logic.ts'
import { testAdmin, testBrokers, uniqueName } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { beginAtFixture, outputs, serviceFixture, startService, waitCommitted } from './helpers.ts'

const hour = 3_600_000
const horizonMs = 48 * hour
const TOPIC_RESOURCE = 2 as ConfigResourceTypes

function payment(payer: string, overrides: Partial<PaymentConfirmed> = {}): PaymentConfirmed {
  return {
    ...sampleEvents.PaymentConfirmed,
    eventId: randomUUID(),
    paymentId: randomUUID(),
    payerAccountId: payer,
    occurredAt: new Date(),
    ...overrides,
  }
}

const again = (p: PaymentConfirmed): PaymentConfirmed => ({ ...p, eventId: randomUUID() })

test('the changelog is compact,delete with the horizon retention; a duplicate inside the horizon is skipped, one past it is not restored and posts again', async (t) => {
  const fixture = await serviceFixture(t)
  const groupId = uniqueName('ledger-horizon')
  const env = { CONSUMER_GROUP: groupId, LEDGER_DEDUPE_HORIZON: '48h' }
  const payer = uniqueName('acct')
  const old = payment(payer)
  const recent = payment(payer)
  const fresh = payment(payer)
  const ours = new Set([old.paymentId, recent.paymentId, fresh.paymentId])
  const postings = await outputs(
    t,
    fixture,
    'LedgerPosting',
    'ledger',
    (posting) => posting.source === groupId && ours.has(posting.paymentId),
  )

  // A first run creates the changelog (and posts `fresh` once, its duplicate skipped).
  const first = await startService(t, fixture, {
    name: 'payments-ledger',
    subscriptions: ledgerSubscriptions,
    env,
  })
  const changelog = changelogTopicName(groupId, 'posted-payments')
  const admin = await testAdmin(t, fixture.kafka)
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: TOPIC_RESOURCE, name: changelog }],
  })
  const configs = new Map(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]))
  assert.equal(configs.get('cleanup.policy'), 'compact,delete')
  assert.equal(configs.get('retention.ms'), String(retentionMsFor(horizonMs)))
  assert.equal(configs.get('segment.ms'), String(segmentMsFor(horizonMs)))

  const freshRecords = [
    await fixture.publisher.publish('PaymentConfirmed', fresh),
    await fixture.publisher.publish('PaymentConfirmed', again(fresh)),
  ]
  await waitCommitted(t, fixture.kafka, groupId, freshRecords)
  assert.deepEqual(
    (await postings(1)).map((p) => p.paymentId),
    [fresh.paymentId],
    'the duplicate inside the horizon was skipped',
  )
  await first.stop()

  // What an earlier run left in the changelog: `old` posted three days ago (past the 48 h
  // horizon), `recent` an hour ago, on the partition their payer's payments land on.
  const partition = freshRecords[0]!.partition
  const producer = fixture.kafka.producer({ idempotent: true })
  await producer.connect()
  t.after(() => producer.disconnect())
  const now = Date.now()
  const entry = (p: PaymentConfirmed) => JSON.stringify(postedEntry(p, postingFor(p, new Date(), groupId)))
  await producer.send({
    topic: changelog,
    acks: -1,
    messages: [
      { key: old.paymentId, value: entry(old), partition, timestamp: String(now - 72 * hour) },
      { key: recent.paymentId, value: entry(recent), partition, timestamp: String(now - hour) },
    ],
  })

  const restarted = [
    await fixture.publisher.publish('PaymentConfirmed', again(old)),
    await fixture.publisher.publish('PaymentConfirmed', again(recent)),
    await fixture.publisher.publish('PaymentConfirmed', again(fresh)),
  ]
  assert.ok(
    restarted.every((r) => r.partition === partition),
    'one payer, one partition',
  )
  await startService(t, fixture, { name: 'payments-ledger', subscriptions: ledgerSubscriptions, env })
  await waitCommitted(t, fixture.kafka, groupId, restarted)
  assert.deepEqual(
    (await postings(2)).map((p) => p.paymentId).sort(),
    [fresh.paymentId, old.paymentId].sort(),
    'the entry past the horizon was not restored, so its duplicate posted; the recent one and fresh were remembered',
  )
})

test('after a SIGKILL mid-stream, the next member restores the partition and posts every paymentId exactly once', async (t) => {
  const fixture = await serviceFixture(t)
  const groupId = uniqueName('ledger-horizon-kill')
  const env = { CONSUMER_GROUP: groupId, LEDGER_DEDUPE_HORIZON: '30d' }
  const payer = uniqueName('acct')
  const payments = Array.from({ length: 60 }, () => payment(payer))
  const ours = new Set(payments.map((p) => p.paymentId))
  const postings = await outputs(
    t,
    fixture,
    'LedgerPosting',
    'ledger',
    (posting) => posting.source === groupId && ours.has(posting.paymentId),
  )

  const main = new URL('../../../services/payments-ledger/main.ts', import.meta.url).pathname
  await beginAtFixture(fixture, 'payments-ledger', groupId)
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      KAFKA_BROKERS: testBrokers().join(','),
      SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
      SERVICE_PORT: '0',
      LOG_LEVEL: 'silent',
      KAFKA_LOG_LEVEL: 'nothing',
      ...env,
    },
    stdio: 'ignore',
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })

  // The first half and a duplicate of each go in; the process is killed once part is committed,
  // so the duplicates of what it posted arrive at the next member, which knows them only from
  // the changelog the killed member committed.
  const firstHalf = payments.slice(0, 30)
  const published = []
  for (const p of firstHalf) published.push(await fixture.publisher.publish('PaymentConfirmed', p))
  await waitCommitted(t, fixture.kafka, groupId, published.slice(0, 10))
  for (const p of firstHalf) published.push(await fixture.publisher.publish('PaymentConfirmed', again(p)))
  child.kill('SIGKILL')
  await exited

  const rest = []
  for (const p of payments.slice(30)) rest.push(await fixture.publisher.publish('PaymentConfirmed', p))
  for (const p of payments) rest.push(await fixture.publisher.publish('PaymentConfirmed', again(p)))
  await startService(t, fixture, { name: 'payments-ledger', subscriptions: ledgerSubscriptions, env })
  await waitCommitted(t, fixture.kafka, groupId, [...published, ...rest])
  const booked = (await postings(payments.length)).map((p) => p.paymentId)
  assert.equal(booked.length, payments.length, 'one posting per paymentId, none lost, none twice')
  assert.deepEqual([...booked].sort(), [...ours].sort())
})
