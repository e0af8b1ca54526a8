// Exactly-once: payments through the gateway into payments-ledger, SIGKILLed K times and the broker restarted once; every accepted payment is posted once.
import { randomUUID } from 'node:crypto'
import { sampleEvents } from '../test/helpers/sample-events.ts'
import { runKillStream } from './lib/kill-stream.ts'

await runKillStream({
  scenario: 'ledger-exactly-once',
  service: 'payments-ledger',
  inputType: 'PaymentConfirmed',
  makeEvent: () => {
    const paymentId = randomUUID()
    return {
      key: paymentId,
      body: {
        ...sampleEvents.PaymentConfirmed,
        eventId: randomUUID(),
        paymentId,
        occurredAt: new Date().toISOString(),
      },
    }
  },
  outputTopic: 'ledger',
  outputType: 'LedgerPosting',
  keyOfOutput: (value) => String(value['paymentId']),
  duplicatesFail: true,
})
process.exit(0)
