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
        let closed = 0
        const applied = await store.apply(ctx, async (state) => {
          const result = step(state, reading, config, new Date())
          if (result.late) {
            logger.info({ sensorId: reading.sensorId, eventId: reading.eventId }, 'late reading dropped')
            return undefined
          }
          for (const aggregate of result.closed)
            await emitEvent(ctx, serde, 'SensorWindowAggregate', aggregate)
          closed = result.closed.length
          return result.changes
        })
        if (applied === 'redelivered') metrics.outcome('redelivery_skipped')
        else if (applied === 'unchanged') metrics.outcome('late_dropped')
        else if (closed > 0) metrics.emitted('SensorWindowAggregate', closed)
      },
      aggregatorPolicy,
      { hooks: store.hooks },
    ),
  ]
}
