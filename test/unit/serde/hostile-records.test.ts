import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eventTypes } from '@event-backbone/catalog'
import {
  AvroDecodeError,
  BadMagicByteError,
  IncompatibleReaderError,
  TruncatedRecordError,
  UnknownSchemaIdError,
} from '@event-backbone/errors'
import { EventSerde, frame, unframe } from '@event-backbone/serde'
import fc from 'fast-check'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { FakeRegistry } from './fake-registry.ts'

// What a consumer can dead-letter; anything else (TypeError, RangeError) would be a crash.
const serdeErrors = [
  AvroDecodeError,
  BadMagicByteError,
  IncompatibleReaderError,
  TruncatedRecordError,
  UnknownSchemaIdError,
]

test('frame and unframe round-trip any schema id and body', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0x7fffffff }), fc.uint8Array({ maxLength: 64 }), (id, body) => {
      const { schemaId, body: read } = unframe(frame(id, body))
      assert.equal(schemaId, id)
      assert.deepEqual(new Uint8Array(read), body)
    }),
  )
})

test('decoding arbitrary bytes fails only with serde errors, never a crash or a stall', async () => {
  const registry = new FakeRegistry()
  const serde = new EventSerde(registry)
  const ids = new Map<string, number>()
  for (const eventType of eventTypes()) {
    ids.set(eventType, (await serde.encode(eventType, sampleEvents[eventType])).readInt32BE(1))
  }
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...eventTypes()),
      fc.uint8Array({ maxLength: 48 }),
      fc.boolean(),
      async (eventType, bytes, framed) => {
        const record = framed ? frame(ids.get(eventType)!, bytes) : Buffer.from(bytes)
        try {
          await serde.decode(eventType, record)
        } catch (error) {
          assert.ok(
            serdeErrors.some((ErrorClass) => error instanceof ErrorClass),
            `unexpected ${(error as Error).name}: ${(error as Error).message}`,
          )
        }
      },
    ),
    { numRuns: 400 },
  )
})

test('a valid record with any single byte flipped decodes or fails with a serde error', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const original = await serde.encode('UploadProcessed', sampleEvents.UploadProcessed)
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 5, max: original.length - 1 }),
      fc.integer({ min: 1, max: 255 }),
      async (at, xor) => {
        const corrupted = Buffer.from(original)
        corrupted[at]! ^= xor
        try {
          await serde.decode('UploadProcessed', corrupted)
        } catch (error) {
          assert.ok(
            error instanceof AvroDecodeError,
            `unexpected ${(error as Error).name}: ${(error as Error).message}`,
          )
        }
      },
    ),
    { numRuns: 300 },
  )
})
