// payments-ledger: payments → balanced LedgerPosting, exactly once, a paymentId posted once.
import { runConsumerService } from '#libs/service'
import { ledgerSubscriptions } from './handler.ts'

await runConsumerService({ name: 'payments-ledger', subscriptions: ledgerSubscriptions })
