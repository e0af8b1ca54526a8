import type { PolicyInput } from '@event-backbone/client'
import { envDurationMs } from '#libs/service'
import type { WindowConfig } from './logic.ts'

/** Exactly-once without retry topics: the window store's changelog partition has one writer. */
export const aggregatorPolicy: PolicyInput = {
  guarantee: 'exactly-once',
  retry: { attempts: 3 },
  retryTopics: [],
  deadLetter: true,
}

export function windowConfig(env: NodeJS.ProcessEnv): WindowConfig {
  return {
    windowMs: Math.max(1, envDurationMs(env, 'SENSOR_WINDOW', 60_000)),
    graceMs: envDurationMs(env, 'SENSOR_GRACE', 0),
  }
}
