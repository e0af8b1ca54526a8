import { accessManifest, applyAcls, managedPrincipals, planAcls } from '#libs/access'
import { logLevel } from 'kafkajs'
import { startSecuredKafka, errorTypes, rejectionOf } from './test/helpers/secured-kafka.ts'
const s = await startSecuredKafka(['payments-ledger', 'dlq-console', 'login-monitor'])
try {
  const admin = s.kafka('admin').admin(); await admin.connect()
  await admin.createTopics({ topics: ['payments','ledger','uploads','logins','payments-ledger.payments.retry.1'].map((topic) => ({ topic, numPartitions: 1 })) })
  await applyAcls(admin, planAcls(accessManifest), managedPrincipals(accessManifest))
  const logs: unknown[] = []
  const k = s.kafka('payments-ledger', { logLevel: logLevel.DEBUG, logCreator: () => ({ log }) => { if (log.error) logs.push(log) } })
  const tp = k.producer({ transactionalId: 'login-monitor.logins.0', idempotent: true, maxInFlightRequests: 1 }); await tp.connect()
  let e = await rejectionOf(tp.transaction()); console.log('txn', (e as Error).name, errorTypes(e))
  console.log(logs.slice(-3))
  const tp2 = k.producer({ transactionalId: 'payments-ledger.payments.0', idempotent: true, maxInFlightRequests: 1 }); await tp2.connect()
  const tx = await tp2.transaction()
  await tx.send({ topic: 'ledger', messages: [{ value: 'y' }] })
  e = await rejectionOf(tx.sendOffsets({ consumerGroupId: 'login-monitor', topics: [{ topic: 'payments', partitions: [{ partition: 0, offset: '0' }] }] }))
  console.log('sendOffsets other group', (e as Error).name, errorTypes(e))
  await tx.abort().catch((x) => console.log('abort', x.message))
  await tp.disconnect(); await tp2.disconnect(); await admin.disconnect()
} finally { await s.broker.stop() }
