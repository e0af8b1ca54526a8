import { emitEvent, onEvent } from '@event-backbone/client'
import { openServiceStore, type ServiceDeps } from '#libs/service'
import { type StoreEntry, step } from './logic.ts'
import { aggregatorPolicy, windowConfig } from './policy.ts'

/** Open windows live in `<group>.sensor-windows.changelog`, so a restart neither loses nor repeats a reading. */
export async function sensorSubscriptions({
  env,
  kafka,
  serde,
  logger,
  metrics,
  groupId,
  onStop,
}: ServiceDeps) {
  const config = windowConfig(env)
  const store = await openServiceStore<StoreEntry>(
    { kafka, groupId, logger, metrics, onStop },
    {
      name: 'sensor-windows',
      input: 'SensorReading',
    },
  )
  return [
    onEvent(
      serde,
      'SensorReading',
      async (reading, ctx) => {
        const state = await store.partition(ctx)
        if (store.isApplied(ctx)) {
          metrics.outcome('redelivery_skipped')
          return
        }
        const result = step(state, reading, config, new Date())
        if (result.late) {
          logger.info({ sensorId: reading.sensorId, eventId: reading.eventId }, 'late reading dropped')
          metrics.outcome('late_dropped')
          return
        }
        for (const aggregate of result.closed) await emitEvent(ctx, serde, 'SensorWindowAggregate', aggregate)
        for (const [key, value] of result.changes) await store.put(ctx, state, key, value)
        await store.markApplied(ctx)
        if (result.closed.length > 0) metrics.emitted('SensorWindowAggregate', result.closed.length)
      },
      aggregatorPolicy,
    ),
  ]
}
