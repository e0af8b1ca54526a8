import {
  AvroDecodeError,
  BadMagicByteError,
  TruncatedRecordError,
  UnknownSchemaIdError,
} from '@event-backbone/errors'
import avro from 'avsc'

/**
 * A stand-in for libs/serde in the consumer runtime's tests: the Confluent wire format (magic byte
 * 0, 4-byte big-endian schema id, Avro body) against a fixed id → schema map, with the serde errors.
 */
export const orderSchema = {
  type: 'record',
  name: 'OrderPlaced',
  fields: [
    { name: 'eventId', type: 'string' },
    { name: 'amount', type: 'long' },
    { name: 'note', type: 'string', default: '' },
  ],
} as const

export interface OrderPlaced {
  eventId: string
  amount: number
  note: string
}

export const orderType = avro.Type.forSchema(orderSchema as unknown as avro.Schema)
export const orderSchemaId = 7

export function encodeWire(value: unknown, type: avro.Type = orderType, id = orderSchemaId): Buffer {
  const prefix = Buffer.alloc(5)
  prefix.writeUInt8(0, 0)
  prefix.writeUInt32BE(id, 1)
  return Buffer.concat([prefix, type.toBuffer(value)])
}

export function wireDecoder<T>(
  types: ReadonlyMap<number, avro.Type> = new Map([[orderSchemaId, orderType]]),
) {
  return {
    decode(bytes: Buffer): T {
      if (bytes.length < 5) throw new TruncatedRecordError()
      if (bytes[0] !== 0) throw new BadMagicByteError()
      const id = bytes.readUInt32BE(1)
      const type = types.get(id)
      if (!type) throw new UnknownSchemaIdError(`unknown schema id ${id}`)
      try {
        return type.fromBuffer(bytes.subarray(5)) as T
      } catch (cause) {
        throw new AvroDecodeError(undefined, { cause })
      }
    },
  }
}

export const orderDecoder = wireDecoder<OrderPlaced>()
