// LEDGER_DEDUPE_HORIZON: a duration with units up to days, 30 days by default, refused when too small or malformed.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultDedupeHorizonMs, ledgerDedupeHorizonMs } from '../../../services/payments-ledger/policy.ts'

test('the dedupe horizon defaults to 30 days and takes a duration with a unit', () => {
  assert.equal(ledgerDedupeHorizonMs({}), 30 * 86_400_000)
  assert.equal(defaultDedupeHorizonMs, 30 * 86_400_000)
  assert.equal(ledgerDedupeHorizonMs({ LEDGER_DEDUPE_HORIZON: '7d' }), 7 * 86_400_000)
  assert.equal(ledgerDedupeHorizonMs({ LEDGER_DEDUPE_HORIZON: '12h' }), 12 * 3_600_000)
})

test('a malformed or sub-second horizon is refused, naming the variable', () => {
  assert.throws(
    () => ledgerDedupeHorizonMs({ LEDGER_DEDUPE_HORIZON: '30 days' }),
    /LEDGER_DEDUPE_HORIZON needs to be a duration/,
  )
  assert.throws(
    () => ledgerDedupeHorizonMs({ LEDGER_DEDUPE_HORIZON: '0' }),
    /LEDGER_DEDUPE_HORIZON needs to be at least 1s/,
  )
})
