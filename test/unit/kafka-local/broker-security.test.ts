import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ScramUserError } from '@event-backbone/errors'
import { addScramArgs, serverProperties } from '#libs/kafka-local'

const security = {
  admin: { name: 'admin', password: 'a-secret' },
  users: [{ name: 'svc', password: 's3cret' }],
}

test('a secured broker has a SCRAM client listener, the StandardAuthorizer and only the admin as super user', () => {
  const text = serverProperties({
    host: '127.0.0.1',
    ports: { broker: 1, controller: 2 },
    dataDir: '/d',
    security,
  })
  const lines = new Set(text.trim().split('\n'))
  for (const line of [
    'listeners=SASL_PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users=User:admin',
    'allow.everyone.if.no.acl.found=false',
  ]) {
    assert.ok(lines.has(line), line)
  }
  assert.doesNotMatch(text, /(^|[=,])PLAINTEXT:\/\//m, 'no unauthenticated client listener')
  assert.ok(
    lines.has('listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT'),
  )
})

test('a TLS broker serves clients and itself on SASL_SSL with its keystore and truststore', () => {
  const text = serverProperties({
    host: '127.0.0.1',
    ports: { broker: 1, controller: 2 },
    dataDir: '/d',
    security: { ...security, tls: true },
    tls: { keystoreFile: '/t/k.p12', truststoreFile: '/t/t.p12', storePassword: 'pw', caFile: '/t/ca.pem' },
  })
  const lines = new Set(text.trim().split('\n'))
  for (const line of [
    'listeners=SASL_SSL://127.0.0.1:1,CONTROLLER://127.0.0.1:2',
    'inter.broker.listener.name=SASL_SSL',
    'listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
    'listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512',
    'ssl.keystore.location=/t/k.p12',
    'ssl.truststore.location=/t/t.p12',
    'ssl.endpoint.identification.algorithm=https',
  ]) {
    assert.ok(lines.has(line), line)
  }
  assert.doesNotMatch(text, /SASL_PLAINTEXT:\/\//, 'no clear-text client listener')
})

test('the default broker stays PLAINTEXT without an authorizer', () => {
  const text = serverProperties({ host: '127.0.0.1', ports: { broker: 1, controller: 2 }, dataDir: '/d' })
  assert.ok(text.includes('listeners=PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2'))
  assert.ok(!text.includes('authorizer'))
})

test('SCRAM users are created at format time with SCRAM-SHA-512', () => {
  assert.deepEqual(addScramArgs(security), [
    '--add-scram',
    'SCRAM-SHA-512=[name=admin,password=a-secret]',
    '--add-scram',
    'SCRAM-SHA-512=[name=svc,password=s3cret]',
  ])
})

test('a password the format tool or JAAS line cannot carry is refused', () => {
  for (const password of ['', 'a"b', 'a,b', 'a b', 'a]b']) {
    assert.throws(() => addScramArgs({ admin: { name: 'admin', password } }), ScramUserError)
  }
  assert.throws(() => addScramArgs({ admin: security.admin, users: [security.admin] }), ScramUserError)
})
