import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { UserLogin } from '@event-backbone/catalog'
import { LoginMonitor } from '../../../services/login-monitor/logic.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

const now = new Date('2026-11-27T12:00:00Z')
const base = Date.parse('2026-11-27T10:00:00Z')
let sequence = 0
function login(overrides: Partial<UserLogin> & { at?: number } = {}): UserLogin {
  const { at, ...rest } = overrides
  sequence++
  return {
    ...sampleEvents.UserLogin,
    eventId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    occurredAt: new Date(base + (at ?? sequence)),
    ...rest,
  }
}

test('the Nth failed login of a user within the window raises one alert, fewer raise none', () => {
  const monitor = new LoginMonitor({ threshold: 3, windowMs: 60_000 })
  assert.deepEqual(monitor.observe(login({ userId: 'u1', ipAddress: '10.0.0.1' }), now), [])
  assert.deepEqual(monitor.observe(login({ userId: 'u1', ipAddress: '10.0.0.2' }), now), [])
  const alerts = monitor.observe(login({ userId: 'u1', ipAddress: '10.0.0.2' }), now)
  const userAlert = alerts.find((alert) => alert.userId === 'u1')
  assert.ok(userAlert)
  assert.equal(userAlert.failureCount, 3)
  assert.deepEqual(userAlert.ipAddresses, ['10.0.0.2', '10.0.0.1'])
  assert.equal(userAlert.windowEnd.getTime() - userAlert.windowStart.getTime(), 60_000)
  assert.equal(userAlert.lastFailureReason, 'BAD_CREDENTIALS')
})

test('failures beyond the threshold in the same window raise no further alert', () => {
  const monitor = new LoginMonitor({ threshold: 2, windowMs: 60_000 })
  const all = [1, 2, 3, 4, 5].flatMap(() =>
    monitor.observe(login({ userId: 'u2', ipAddress: '10.0.0.9' }), now),
  )
  assert.equal(all.filter((alert) => alert.userId === 'u2').length, 1)
})

test('a successful login resets the user count', () => {
  const monitor = new LoginMonitor({ threshold: 2, windowMs: 60_000 })
  monitor.observe(login({ userId: 'u3', ipAddress: '10.0.1.1' }), now)
  monitor.observe(
    login({ userId: 'u3', outcome: 'SUCCEEDED', failureReason: null, ipAddress: '10.0.1.1' }),
    now,
  )
  const alerts = monitor.observe(login({ userId: 'u3', ipAddress: '10.0.1.2' }), now)
  assert.equal(alerts.filter((alert) => alert.userId === 'u3').length, 0)
})

test('failures from one IP address against many users raise an IP alert of HIGH severity', () => {
  const monitor = new LoginMonitor({ threshold: 3, windowMs: 60_000 })
  const alerts = ['a', 'b', 'c'].flatMap((user) =>
    monitor.observe(login({ userId: user, ipAddress: '198.51.100.7' }), now),
  )
  assert.equal(alerts.length, 1)
  assert.equal(alerts[0]?.userId, 'ip:198.51.100.7')
  assert.equal(alerts[0]?.severity, 'HIGH')
})

test('failures in different windows are counted apart', () => {
  const monitor = new LoginMonitor({ threshold: 2, windowMs: 1_000 })
  assert.deepEqual(monitor.observe(login({ userId: 'u4', ipAddress: '10.0.2.1', at: 100 }), now), [])
  assert.deepEqual(monitor.observe(login({ userId: 'u4', ipAddress: '10.0.2.2', at: 1_100 }), now), [])
})

test('replaying the same failures gives the same alert id', () => {
  const events = [1, 2].map(() => login({ userId: 'u5', ipAddress: '10.0.3.1', at: 10 }))
  const first = new LoginMonitor({ threshold: 2, windowMs: 60_000 })
  const second = new LoginMonitor({ threshold: 2, windowMs: 60_000 })
  const a = events.flatMap((event) => first.observe(event, now))
  const b = events.flatMap((event) => second.observe(event, now))
  assert.equal(a[0]?.alertId, b[0]?.alertId)
})

test('tallies of old windows are dropped as event time moves on', () => {
  const monitor = new LoginMonitor({ threshold: 10, windowMs: 1_000 })
  for (let i = 0; i < 5; i++) monitor.observe(login({ userId: `old${i}`, ipAddress: '10.0.4.1', at: 0 }), now)
  monitor.observe(login({ userId: 'new', ipAddress: '10.0.4.2', at: 10_000 }), now)
  assert.equal(monitor.size, 2)
})
