// Exactly-once: payments through the gateway into payments-ledger, SIGKILLed K times and the broker restarted once; every accepted payment is posted once.
import { runKillStream } from './lib/kill-stream.ts'
import { ledgerKey, newPayment } from './lib/payments.ts'

await runKillStream({
  scenario: 'ledger-exactly-once',
  service: 'payments-ledger',
  inputType: 'PaymentConfirmed',
  makeEvent: newPayment,
  outputTopic: 'ledger',
  outputType: 'LedgerPosting',
  keyOfOutput: ledgerKey,
  duplicatesFail: true,
})
process.exit(0)
