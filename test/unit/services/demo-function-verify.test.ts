import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { secretsFrom, verifySignature } from '../../../services/demo-function/verify.ts'

const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`
const other = `whsec_${Buffer.alloc(32, 2).toString('base64')}`
const body = '{"userId":"u"}'
const now = new Date('2026-12-04T10:00:00Z')
const headersFor = (key: string, at = now) => {
  const signature = new Webhook(key).sign('msg_1', at, body)
  return {
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  }
}
const nowS = Math.floor(now.getTime() / 1000)

test('the demo function accepts a request the standardwebhooks library signed with a secret it knows, also one of two during a rotation', () => {
  assert.equal(verifySignature(secretsFrom(secret), headersFor(secret), body, nowS), true)
  assert.equal(verifySignature(secretsFrom(`${other} ${secret}`), headersFor(secret), body, nowS), true)
})

test('the demo function refuses another secret, a changed body, a stale timestamp and missing headers', () => {
  assert.equal(verifySignature(secretsFrom(other), headersFor(secret), body, nowS), false)
  assert.equal(verifySignature(secretsFrom(secret), headersFor(secret), `${body} `, nowS), false)
  assert.equal(verifySignature(secretsFrom(secret), headersFor(secret), body, nowS + 600), false)
  assert.equal(verifySignature(secretsFrom(secret), {}, body, nowS), false)
})
