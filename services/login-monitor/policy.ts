import type { PolicyInput } from '@event-backbone/client'
import { envDurationMs, envInt } from '#libs/service'
import type { MonitorConfig } from './logic.ts'

/** At-least-once: a redelivered attempt may count twice; alerts carry stable ids for dedupe. */
export const monitorPolicy: PolicyInput = {
  guarantee: 'at-least-once',
  retry: { attempts: 2 },
  deadLetter: true,
}

export function monitorConfig(env: NodeJS.ProcessEnv): MonitorConfig {
  return {
    threshold: envInt(env, 'LOGIN_FAILURE_THRESHOLD', 5, { min: 1, max: 1_000_000 }),
    windowMs: envDurationMs(env, 'LOGIN_WINDOW', 60_000),
  }
}
