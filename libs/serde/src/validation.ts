import type avsc from 'avsc'

/** One field that does not match its schema, as reported by avsc's `isValid` error hook. */
export interface InvalidField {
  /** Dotted path with array indices in brackets, for example `lines[1].direction`. */
  readonly path: string
  readonly expected: string
  readonly actual: string
}

function formatPath(segments: readonly string[]): string {
  let path = ''
  for (const segment of segments) {
    path += /^\d+$/.test(segment) ? `[${segment}]` : path === '' ? segment : `.${segment}`
  }
  return path === '' ? '(the value itself)' : path
}

function describeType(type: avsc.Type): string {
  const typed = type as avsc.Type & { symbols?: string[]; types?: avsc.Type[] }
  switch (type.typeName) {
    case 'logical:uuid':
      return 'a UUID string'
    case 'logical:timestamp-millis':
      return 'a valid Date'
    case 'enum':
      return `one of ${typed.symbols!.join(', ')}`
    case 'long':
    case 'int':
      return `an integer (${type.typeName})`
    case 'union:unwrapped':
    case 'union:wrapped':
      return typed.types!.map((branch) => describeType(branch)).join(' or ')
    default:
      return type.typeName
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)'
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`
}

/** Every field of `value` that `type` refuses; empty when the value is valid. */
export function invalidFields(type: avsc.Type, value: unknown): InvalidField[] {
  const found: InvalidField[] = []
  type.isValid(value, {
    errorHook: (path, actual, fieldType) => {
      found.push({ path: formatPath(path), expected: describeType(fieldType), actual: describeValue(actual) })
    },
  })
  return found
}
