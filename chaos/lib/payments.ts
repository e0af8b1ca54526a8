import { randomUUID } from 'node:crypto'
import { registryService } from '#libs/stack'
import { sampleEvents } from '../../test/helpers/sample-events.ts'
import type { ChaosCluster } from './cluster.ts'
import { committedVerdict } from './java-keys.ts'
import { inputDuplicates, Load, type LoadOptions, OutputReader } from './load.ts'
import { smoke } from './scenario.ts'

/** A fresh PaymentConfirmed for the gateway; the ledger posts it under its paymentId. */
export function newPayment(): { body: Record<string, unknown>; key: string } {
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
}

export const ledgerKey = (value: Record<string, unknown>): string => String(value['paymentId'])

/** Reads payments-ledger's output from the beginning, keyed by paymentId. */
export function readLedger(cluster: ChaosCluster): Promise<OutputReader> {
  return OutputReader.start(
    cluster.kafka(),
    cluster.url(registryService.name),
    'ledger',
    'LedgerPosting',
    ledgerKey,
  )
}

/** A paced stream of fresh payments through the gateway. */
export function paymentsLoad(
  cluster: ChaosCluster,
  options: Pick<LoadOptions, 'total' | 'ratePerSecond' | 'workers'>,
): Load {
  return new Load({
    ...options,
    url: `${cluster.url('ingest-gateway')}/v1/events/PaymentConfirmed`,
    apiKey: cluster.apiKey,
    makeEvent: newPayment,
  })
}

/**
 * The exactly-once verdict on a payments stream into the ledger once `load` is over: every
 * acknowledged payment posted once (judged by Kafka's Java consumer, since kafkajs's
 * read_committed can return aborted records), no valid payment refused. `duplicateNote` adds
 * scenario context to the duplicate problem.
 */
export async function ledgerVerdict(
  cluster: ChaosCluster,
  load: Load,
  reader: OutputReader,
  duplicateNote = '',
): Promise<{ problems: string[]; figures: Record<string, number | string> }> {
  const acknowledged = load.acknowledged()
  await reader.settle(acknowledged, smoke ? 60_000 : 120_000)
  await reader.stop()
  const { records, lost, duplicates } = await committedVerdict(cluster.brokers, 'ledger', acknowledged)
  // The input as well: a payment the gateway wrote twice must still be posted once (the ledger
  // dedupes by paymentId), and this tells a duplicate input from a duplicate output.
  const writtenTwice = await inputDuplicates(
    cluster.kafka(),
    cluster.url(registryService.name),
    'payments',
    'PaymentConfirmed',
    ledgerKey,
    acknowledged,
  )
  const refused = load.refused()
  const problems: string[] = []
  if (lost.length > 0)
    problems.push(`${lost.length} acknowledged payments never posted (e.g. ${lost.slice(0, 3).join(', ')})`)
  if (duplicates.keys > 0)
    problems.push(`${duplicates.keys} payments posted more than once (Java read_committed${duplicateNote})`)
  if (refused.length > 0)
    problems.push(`${refused.length} valid payments refused (${refused[0]?.lastStatus})`)
  return {
    problems,
    figures: {
      sent: load.outcomes.length,
      acknowledged: acknowledged.size,
      unconfirmed: load.unconfirmed().length,
      ledgerRecords: records,
      kafkajsReaderExtraRecords: reader.records - records,
      lost: lost.length,
      duplicateKeys: duplicates.keys,
      paymentsWrittenTwice: writtenTwice,
      guarantee: 'exactly-once',
    },
  }
}
