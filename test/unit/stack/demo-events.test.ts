import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { UserLogin } from '@event-backbone/catalog'
import { demoEvents } from '#libs/stack'
import { LoginMonitor } from '../../../services/login-monitor/logic.ts'
import { monitorConfig } from '../../../services/login-monitor/policy.ts'

test('the demo raises exactly one alert for its failing user wherever its logins fall against the login windows', () => {
  const config = monitorConfig({})
  const minute = Date.parse('2026-12-05T10:00:00Z')
  // Every start 100 ms apart across one window, including starts whose burst straddles its end.
  for (let offset = 0; offset < config.windowMs; offset += 100) {
    const monitor = new LoginMonitor(config)
    const logins = demoEvents(minute + offset)
      .filter((item) => item.eventType === 'UserLogin')
      .map((item) => item.event as UserLogin)
    const alerts = logins.flatMap((login) => monitor.observe(login, new Date()))
    const forUser = alerts.filter((alert) => alert.userId === 'user-mallory')
    assert.equal(forUser.length, 1, `logins starting ${offset} ms into the window`)
  }
})
