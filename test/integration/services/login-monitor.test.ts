// Proves the login monitor raises a security alert after N failed logins of a user within the window, and none for fewer.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { UserLogin } from '@event-backbone/catalog'
import { loginSubscriptions } from '../../../services/login-monitor/handler.ts'
import { uniqueName } from '../../helpers/kafka.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { outputs, serviceFixture, startService, waitCommitted } from './helpers.ts'

function failedLogin(userId: string, ipAddress: string): UserLogin {
  return { ...sampleEvents.UserLogin, eventId: randomUUID(), userId, ipAddress, occurredAt: new Date() }
}

test('three failed logins of one user raise one alert, two failed logins of another raise none', async (t) => {
  const fixture = await serviceFixture(t)
  const groupId = uniqueName('logins')
  const attacked = uniqueName('user')
  const clumsy = uniqueName('user')
  const ip = () =>
    `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
  const alerts = await outputs(t, fixture, 'SecurityAlert', 'security-alerts', (a) =>
    [attacked, clumsy].includes(a.userId),
  )
  const attackerIp = ip()
  const published = []
  for (const login of [
    failedLogin(clumsy, ip()),
    failedLogin(attacked, attackerIp),
    failedLogin(clumsy, ip()),
    failedLogin(attacked, attackerIp),
    failedLogin(attacked, ip()),
    failedLogin(attacked, attackerIp),
  ]) {
    published.push(await fixture.publisher.publish('UserLogin', login))
  }
  await startService(t, fixture, {
    name: 'login-monitor',
    subscriptions: loginSubscriptions,
    // A long window: the six attempts can never straddle a window boundary.
    env: { CONSUMER_GROUP: groupId, LOGIN_FAILURE_THRESHOLD: '3', LOGIN_WINDOW: '1h' },
  })
  await waitCommitted(t, fixture.kafka, groupId, published)
  const raised = await alerts()
  assert.equal(raised.length, 1)
  const [alert] = raised
  assert.equal(alert?.userId, attacked)
  assert.equal(alert?.failureCount, 3)
  assert.equal(alert?.ipAddresses[0], attackerIp, 'most frequent address first')
  assert.equal(alert?.lastFailureReason, 'BAD_CREDENTIALS')
})
