// function-trigger: delivers events to HTTP functions as the triggers file (TRIGGERS_FILE) says.
import { createLogger } from '#libs/observability'
import { startTriggerService } from '#libs/triggers'

try {
  await startTriggerService({ handleSignals: true })
} catch (error) {
  createLogger('function-trigger', process.env).fatal({ err: error }, 'service failed to start')
  process.exit(1)
}
