import { randomUUID } from 'node:crypto'
import type { EventOf, EventType } from '@event-backbone/catalog'

/** What the demo expects to happen to an event, so it can tell the person whether it did. */
export const Expectation = {
  processed: 'processed',
  /** Fails a few times, is retried (in place, then through the group's retry topics), then succeeds. */
  retried: 'retried',
  /** Fails for good: lands in the group's dead-letter topic. */
  deadLettered: 'dead-lettered',
  /** A second publish of an already seen business id: must not produce a second output. */
  duplicate: 'duplicate',
  /** Feeds a window or an alert rather than producing one output of its own. */
  aggregated: 'aggregated',
} as const
export type Expectation = (typeof Expectation)[keyof typeof Expectation]

export interface DemoEvent<E extends EventType = EventType> {
  readonly eventType: E
  readonly event: EventOf<E>
  readonly expect: Expectation
}

const source = 'backbone-demo'
const at = (base: number, offsetMs: number) => new Date(base + offsetMs)

function upload(base: number, i: number, simulate?: string): DemoEvent<'FileUploadCompleted'> {
  const uploadId = randomUUID()
  return {
    eventType: 'FileUploadCompleted',
    expect: simulate === undefined ? 'processed' : simulate === 'permanent' ? 'dead-lettered' : 'retried',
    event: {
      eventId: randomUUID(),
      occurredAt: at(base, i * 150),
      source,
      uploadId,
      ownerId: `user-${100 + (i % 4)}`,
      fileName: ['invoice-2026-11.pdf', 'team-photo.jpg', 'contract-draft.docx', 'sensor-export.csv'][i % 4]!,
      contentType: ['application/pdf', 'image/jpeg', 'application/msword', 'text/csv'][i % 4]!,
      sizeBytes: 40_000 + i * 7_919,
      storageUri: `s3://demo-uploads/2026/11/${uploadId}`,
      checksumSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      tags: simulate === undefined ? { origin: 'demo' } : { origin: 'demo', simulate },
    },
  }
}

function payment(base: number, i: number, paymentId: string = randomUUID()): DemoEvent<'PaymentConfirmed'> {
  const accounts = ['acct-alice', 'acct-bob', 'acct-carol', 'acct-dave']
  return {
    eventType: 'PaymentConfirmed',
    expect: 'processed',
    event: {
      eventId: randomUUID(),
      occurredAt: at(base, i * 200),
      source,
      paymentId,
      payerAccountId: accounts[i % 4]!,
      payeeAccountId: accounts[(i + 1) % 4]!,
      amountMinor: 1_000 + i * 1_337,
      currency: i % 3 === 0 ? 'USD' : 'EUR',
      method: (['CARD', 'BANK_TRANSFER', 'WALLET'] as const)[i % 3]!,
      providerReference: `psp-${i}`,
      description: `Demo order ${1_000 + i}`,
    },
  }
}

function login(base: number, i: number, userId: string, failed: boolean, ip: string): DemoEvent<'UserLogin'> {
  return {
    eventType: 'UserLogin',
    expect: 'aggregated',
    event: {
      eventId: randomUUID(),
      occurredAt: at(base, i * 300),
      source,
      userId,
      ipAddress: ip,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) demo',
      outcome: failed ? 'FAILED' : 'SUCCEEDED',
      failureReason: failed ? 'BAD_CREDENTIALS' : null,
      method: 'PASSWORD',
    },
  }
}

function reading(base: number, sensor: number, second: number): DemoEvent<'SensorReading'> {
  return {
    eventType: 'SensorReading',
    expect: 'aggregated',
    event: {
      eventId: randomUUID(),
      occurredAt: at(base, second * 1_000),
      source,
      sensorId: `sensor-${sensor}`,
      kind: 'TEMPERATURE',
      value: 20 + sensor + Math.sin(second / 2) * 2,
      unit: 'Cel',
      location: `lab-${sensor}`,
    },
  }
}

/**
 * A realistic mix of the four input event types: uploads (two that fail transiently, one that
 * fails for good), payments (one published twice), logins (one user failing repeatedly from two
 * addresses), and readings of three sensors across several windows.
 */
export function demoEvents(base = Date.now()): DemoEvent[] {
  const events: DemoEvent[] = []
  for (let i = 0; i < 6; i++) events.push(upload(base, i))
  events.push(upload(base, 6, 'transient:1'), upload(base, 7, 'transient:3'), upload(base, 8, 'permanent'))
  const payments = Array.from({ length: 8 }, (_, i) => payment(base, i))
  events.push(...payments)
  const again = payment(base, 8, payments[2]!.event.paymentId)
  events.push({
    ...again,
    expect: 'duplicate',
    event: { ...payments[2]!.event, eventId: again.event.eventId },
  })
  // Twice the login monitor's default threshold (5) less one: the monitor's windows are tumbling
  // and aligned to the clock, so a burst can straddle a window boundary; 9 failures split any way
  // still leave 5 in one window, and the alert the demo waits for always comes.
  for (let i = 0; i < 9; i++)
    events.push(login(base, i, 'user-mallory', true, i % 2 ? '198.51.100.7' : '203.0.113.9'))
  for (let i = 0; i < 4; i++) events.push(login(base, i, `user-${100 + i}`, false, '192.0.2.10'))
  for (let second = 0; second < 16; second++)
    for (let s = 1; s <= 3; s++) events.push(reading(base, s, second))
  return events
}
