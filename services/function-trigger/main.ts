// function-trigger: delivers events to HTTP functions as the triggers file (TRIGGERS_FILE) says.
import { runService } from '#libs/service'
import { startTriggerService } from '#libs/triggers'

await runService({ name: 'function-trigger' }, async (kit) => {
  await startTriggerService({ kit, handleSignals: true })
})
