// sensor-aggregator: sensor readings → per-sensor tumbling-window aggregates, exactly once.
import { runConsumerService } from '#libs/service'
import { sensorSubscriptions } from './handler.ts'

await runConsumerService({ name: 'sensor-aggregator', subscriptions: sensorSubscriptions })
