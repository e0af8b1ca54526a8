/**
 * Renders TypeScript declarations from Avro schema JSON. Pure: schemas in, source text out.
 *
 * Mapping (documented in docs/schemas.md): timestamp-millis → Date, uuid → string, int/long/float/
 * double → number, bytes/fixed → Buffer, enum → `as const` object plus string-literal union,
 * record → interface, array → Array<T>, map → Record<string, T>, [null, T] → T | null.
 */

export interface SchemaSource {
  /** The catalog name of the event type, which becomes the key in EventTypeMap. */
  readonly eventType: string
  readonly file: string
  readonly schema: unknown
}

type Json = Record<string, unknown>

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
}

// Logical types the backbone registers with avsc (libs/catalog/src/logical-types.ts). Others
// decode as their underlying type, and so are typed as that.
const LOGICAL: Record<string, { readonly underlying: string; readonly ts: string }> = {
  'timestamp-millis': { underlying: 'long', ts: 'Date' },
  uuid: { underlying: 'string', ts: 'string' },
}

function jsDoc(doc: unknown, indent: string, extra: string[] = []): string {
  const lines = [...(typeof doc === 'string' ? doc.split('\n') : []), ...extra]
  if (lines.length === 0) return ''
  const safe = lines.map((line) => line.replaceAll('*/', '*\\/'))
  if (safe.length === 1) return `${indent}/** ${safe[0]} */\n`
  return `${indent}/**\n${safe.map((line) => `${indent} * ${line}`).join('\n')}\n${indent} */\n`
}

function fullName(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1)
}

class Renderer {
  readonly declarations: string[] = []
  readonly named = new Map<string, { tsName: string; file: string }>()
  readonly tsNames = new Map<string, string>()
  file = ''

  /** Declares a named type once; the same full name from two files must be the same TS name. */
  private define(name: string, namespace: string | undefined, render: (tsName: string) => string): string {
    const full = fullName(name, namespace)
    const tsName = shortName(full)
    const owner = this.tsNames.get(tsName)
    if (owner !== undefined && owner !== full) {
      throw new Error(`${this.file}: ${full} and ${owner} would both become the TypeScript type ${tsName}`)
    }
    if (this.named.has(full)) {
      throw new Error(`${this.file}: ${full} is defined twice (first in ${this.named.get(full)!.file})`)
    }
    this.tsNames.set(tsName, full)
    this.named.set(full, { tsName, file: this.file })
    this.declarations.push(render(tsName))
    return tsName
  }

  type(schema: unknown, namespace: string | undefined): string {
    if (typeof schema === 'string') return this.reference(schema, namespace)
    if (Array.isArray(schema)) return this.union(schema, namespace)
    if (typeof schema !== 'object' || schema === null)
      throw new Error(`${this.file}: unexpected schema ${schema}`)
    const node = schema as Json
    const logical = typeof node['logicalType'] === 'string' ? LOGICAL[node['logicalType']] : undefined
    if (logical && node['type'] === logical.underlying) return logical.ts
    const ownNamespace = typeof node['namespace'] === 'string' ? node['namespace'] : namespace
    switch (node['type']) {
      case 'record':
      case 'error':
        return this.record(node, ownNamespace)
      case 'enum':
        return this.enumeration(node, ownNamespace)
      case 'fixed':
        return this.define(String(node['name']), ownNamespace, (tsName) => {
          return `${jsDoc(node['doc'], '')}export type ${tsName} = Buffer\n`
        })
      case 'array':
        return `Array<${this.type(node['items'], namespace)}>`
      case 'map':
        return `Record<string, ${this.type(node['values'], namespace)}>`
      default:
        return this.type(node['type'], namespace)
    }
  }

  private reference(name: string, namespace: string | undefined): string {
    const primitive = PRIMITIVES[name]
    if (primitive !== undefined) return primitive
    const found = this.named.get(fullName(name, namespace)) ?? this.named.get(name)
    if (!found) throw new Error(`${this.file}: unknown type ${name}`)
    return found.tsName
  }

  private union(branches: unknown[], namespace: string | undefined): string {
    const rendered = branches.map((branch) => this.type(branch, namespace))
    // null last reads as "T | null", the shape people expect for optional fields.
    const nonNull = rendered.filter((branch) => branch !== 'null')
    return nonNull.length < rendered.length ? [...nonNull, 'null'].join(' | ') : rendered.join(' | ')
  }

  private record(node: Json, namespace: string | undefined): string {
    const fields = (node['fields'] as Json[]).map((field) => {
      const tsType = this.type(field['type'], namespace)
      const extra = 'default' in field ? [`@default ${JSON.stringify(field['default'])}`] : []
      return `${jsDoc(field['doc'], '  ', extra)}  ${String(field['name'])}: ${tsType}\n`
    })
    return this.define(String(node['name']), namespace, (tsName) => {
      return `${jsDoc(node['doc'], '')}export interface ${tsName} {\n${fields.join('')}}\n`
    })
  }

  private enumeration(node: Json, namespace: string | undefined): string {
    const symbols = node['symbols'] as string[]
    return this.define(String(node['name']), namespace, (tsName) => {
      const members = symbols.map((symbol) => `  ${symbol}: '${symbol}',\n`).join('')
      return (
        `${jsDoc(node['doc'], '')}export const ${tsName} = {\n${members}} as const\n` +
        `export type ${tsName} = (typeof ${tsName})[keyof typeof ${tsName}]\n`
      )
    })
  }
}

export function renderEventTypes(sources: readonly SchemaSource[], header: string): string {
  const renderer = new Renderer()
  const map: string[] = []
  for (const source of sources) {
    renderer.file = source.file
    const tsName = renderer.type(source.schema, undefined)
    map.push(`  ${source.eventType}: ${tsName}\n`)
  }
  const mapDoc = jsDoc('Event type (catalog name) → its generated TypeScript type.', '')
  return `${header}\n${renderer.declarations.join('\n')}\n${mapDoc}export interface EventTypeMap {\n${map.join('')}}\n`
}
