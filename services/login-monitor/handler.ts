import { emitEvent, onEvent } from '@event-backbone/client'
import type { ServiceDeps } from '#libs/service'
import { LoginMonitor } from './logic.ts'
import { monitorConfig, monitorPolicy } from './policy.ts'

export function loginSubscriptions({ env, serde, logger, metrics }: ServiceDeps) {
  const monitor = new LoginMonitor(monitorConfig(env))
  return [
    onEvent(
      serde,
      'UserLogin',
      async (login, ctx) => {
        for (const alert of monitor.observe(login, new Date())) {
          await emitEvent(ctx, serde, 'SecurityAlert', alert)
          metrics.emitted('SecurityAlert')
          metrics.outcome('alert_raised')
          logger.warn(
            { subject: alert.userId, failures: alert.failureCount, alertId: alert.alertId },
            'security alert',
          )
        }
      },
      monitorPolicy,
    ),
  ]
}
