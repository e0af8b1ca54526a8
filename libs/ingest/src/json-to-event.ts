import type { EventOf, EventType } from '@event-backbone/catalog'
import { schemaType } from '@event-backbone/catalog'
import { invalidFields, type SchemaNode } from '@event-backbone/serde'

/** One field of a request body that does not fit the event's schema. */
export interface FieldError {
  /** Dotted path with array indices in brackets, for example `lines[1].direction`. */
  readonly path: string
  readonly message: string
}

export type Conversion<E extends EventType> =
  | { readonly ok: true; readonly event: EventOf<E> }
  | { readonly ok: false; readonly errors: readonly FieldError[] }

type Node = SchemaNode

// ISO-8601 date-time with a time zone: a date alone, or a local time, would be read in the
// gateway's own zone and silently shift the event.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const MAX_LONG = 2 ** 53 - 2 // avsc's bound for longs held as numbers

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}

function join(path: string, segment: string | number): string {
  if (typeof segment === 'number') return `${path}[${segment}]`
  return path === '' ? segment : `${path}.${segment}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const SKIP = Symbol('invalid')
type Out = unknown | typeof SKIP

/**
 * JSON → the value avsc encodes, walking the Avro type: the same rules as Avro's JSON encoding
 * except where HTTP clients need it simpler (timestamps as ISO-8601 or epoch millis, unions
 * unwrapped). Every problem is collected with its path rather than stopping at the first one.
 */
function convert(type: Node, value: unknown, path: string, errors: FieldError[]): Out {
  const fail = (expected: string): typeof SKIP => {
    errors.push({ path: path || '(body)', message: `expected ${expected}, got ${describe(value)}` })
    return SKIP
  }
  switch (type.typeName) {
    case 'logical:timestamp-millis': {
      if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_LONG) {
        return new Date(value)
      }
      if (typeof value === 'string' && ISO_DATE_TIME.test(value)) {
        const millis = Date.parse(value)
        if (!Number.isNaN(millis)) return new Date(millis)
      }
      return fail('an ISO-8601 date-time with a time zone or integer epoch milliseconds')
    }
    case 'logical:uuid':
      return typeof value === 'string' && UUID.test(value) ? value : fail('a UUID string')
    case 'string':
      return typeof value === 'string' ? value : fail('string')
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('boolean')
    case 'null':
      return value === null ? null : fail('null')
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && (value | 0) === value
        ? value
        : fail('int (a 32-bit integer)')
    case 'long':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_LONG
        ? value
        : fail('long (an integer)')
    case 'float':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : fail(type.typeName)
    case 'enum':
      return typeof value === 'string' && type.symbols!.includes(value)
        ? value
        : fail(`one of ${type.symbols!.join(', ')}`)
    case 'array': {
      if (!Array.isArray(value)) return fail('an array')
      const items = value.map((item, index) =>
        convert(type.itemsType as Node, item, join(path, index), errors),
      )
      return items.includes(SKIP) ? SKIP : items
    }
    case 'map': {
      if (!isPlainObject(value)) return fail('an object (map)')
      const out: Record<string, unknown> = {}
      let bad = false
      for (const [key, item] of Object.entries(value)) {
        const converted = convert(type.valuesType as Node, item, join(path, key), errors)
        if (converted === SKIP) bad = true
        // defineProperty: a `__proto__` key stays data and never replaces the prototype.
        else
          Object.defineProperty(out, key, {
            value: converted,
            enumerable: true,
            writable: true,
            configurable: true,
          })
      }
      return bad ? SKIP : out
    }
    case 'record':
    case 'error':
      return convertRecord(type, value, path, errors)
    case 'union:unwrapped':
    case 'union:wrapped':
      return convertUnion(type, value, path, errors)
    default:
      return fail(type.typeName)
  }
}

function convertRecord(type: Node, value: unknown, path: string, errors: FieldError[]): Out {
  if (!isPlainObject(value)) {
    errors.push({ path: path || '(body)', message: `expected a JSON object, got ${describe(value)}` })
    return SKIP
  }
  const fields = type.fields!
  const known = new Set(fields.map((field) => field.name))
  const before = errors.length
  for (const key of Object.keys(value)) {
    if (!known.has(key)) errors.push({ path: join(path, key), message: 'unknown field' })
  }
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    const fieldPath = join(path, field.name)
    if (!Object.hasOwn(value, field.name)) {
      const fallback = field.defaultValue()
      if (fallback === undefined) errors.push({ path: fieldPath, message: 'required field missing' })
      else out[field.name] = fallback
      continue
    }
    const converted = convert(field.type as Node, value[field.name], fieldPath, errors)
    if (converted !== SKIP) out[field.name] = converted
  }
  return errors.length > before ? SKIP : out
}

function convertUnion(type: Node, value: unknown, path: string, errors: FieldError[]): Out {
  const branches = type.types as Node[]
  if (value === null && branches.some((branch) => branch.typeName === 'null')) return null
  const candidates = branches.filter((branch) => branch.typeName !== 'null')
  // One branch (the usual optional field): its own errors are the clearest explanation.
  if (candidates.length === 1) return convert(candidates[0]!, value, path, errors)
  for (const branch of candidates) {
    const attempt: FieldError[] = []
    const converted = convert(branch, value, path, attempt)
    if (attempt.length === 0) return converted
  }
  const names = branches.map((branch) => branch.branchName ?? branch.typeName).join(' or ')
  errors.push({ path: path || '(body)', message: `expected ${names}, got ${describe(value)}` })
  return SKIP
}

/**
 * The event of `eventType` in a parsed JSON body, or every field-level problem with it. Fields the
 * schema does not know are refused (a typo must not silently drop data); fields with a default may
 * be omitted. The result is checked by avsc too, so nothing this function accepts fails to encode.
 */
export function jsonToEvent<E extends EventType>(eventType: E, body: unknown): Conversion<E> {
  const type = schemaType(eventType) as Node
  const errors: FieldError[] = []
  const converted = convert(type, body, '', errors)
  if (converted === SKIP || errors.length > 0) return { ok: false, errors }
  const remaining = invalidFields(type, converted)
  if (remaining.length > 0) {
    return {
      ok: false,
      errors: remaining.map((field) => ({
        path: field.path,
        message: `expected ${field.expected}, got ${field.actual}`,
      })),
    }
  }
  return { ok: true, event: converted as EventOf<E> }
}
