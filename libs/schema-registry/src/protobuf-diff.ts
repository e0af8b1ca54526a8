import protobuf from 'protobufjs'
import type { ProtobufSchema } from './protobuf.ts'

/*
 * Protobuf compatibility in Confluent Schema Registry's terms (its protobuf SchemaDiff): fields
 * are matched by number across the message and its oneofs; the wire-compatible changes of the
 * Protobuf guide are allowed (adding and removing fields and messages, renames, enum changes,
 * scalars within one wire group). Reported: the differences CSR counts as incompatible.
 */

const SCALAR_GROUPS: Record<string, string> = {
  int32: 'GENERAL_NUMBER',
  int64: 'GENERAL_NUMBER',
  uint32: 'GENERAL_NUMBER',
  uint64: 'GENERAL_NUMBER',
  bool: 'GENERAL_NUMBER',
  sint32: 'SIGNED_NUMBER',
  sint64: 'SIGNED_NUMBER',
  string: 'STRING_OR_BYTES',
  bytes: 'STRING_OR_BYTES',
  fixed32: 'FIXED32',
  sfixed32: 'FIXED32',
  fixed64: 'FIXED64',
  sfixed64: 'FIXED64',
  float: 'FLOAT',
  double: 'DOUBLE',
}

type Kind = { kind: 'SCALAR'; group: string } | { kind: 'MESSAGE'; type: protobuf.Type } | { kind: 'MAP' }

function kindOf(field: protobuf.Field): Kind {
  if (field instanceof protobuf.MapField) return { kind: 'MAP' }
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Enum) return { kind: 'SCALAR', group: 'GENERAL_NUMBER' }
  if (resolved instanceof protobuf.Type) return { kind: 'MESSAGE', type: resolved }
  return { kind: 'SCALAR', group: SCALAR_GROUPS[field.type] ?? field.type }
}

/** proto3's `optional` is a synthetic oneof in protobufjs; CSR's parser sees a plain field. */
function realOneof(field: protobuf.Field): string | undefined {
  const oneof = field.partOf
  if (!oneof) return undefined
  if (oneof.fieldsArray.length === 1 && field.options?.['proto3_optional']) return undefined
  return oneof.name
}

/** The label as CSR's parser reads it: only explicit ones (proto3 fields without a label have none). */
function labelOf(field: protobuf.Field): string | undefined {
  if (field.repeated) return 'REPEATED'
  if (field.required) return 'REQUIRED'
  if ((field as { rule?: string }).rule === 'optional' || field.options?.['proto3_optional'])
    return 'OPTIONAL'
  return undefined
}

const localName = (type: protobuf.ReflectionObject) => {
  const full = type.fullName.replace(/^\./, '')
  // The package is the chain of plain namespaces above the outermost message.
  let outer: protobuf.ReflectionObject = type
  while (outer.parent instanceof protobuf.Type) outer = outer.parent
  const pkg = outer.parent ? outer.parent.fullName.replace(/^\./, '') : ''
  return pkg && full.startsWith(`${pkg}.`) ? full.slice(pkg.length + 1) : full
}

class Diff {
  readonly problems: string[] = []
  readonly #seen = new Set<string>()

  add(path: string, kind: string): void {
    this.problems.push(`${kind} at ${path}`)
  }

  compatible(original: protobuf.Type, update: protobuf.Type): boolean {
    const scratch = new Diff()
    for (const pair of this.#seen) scratch.#seen.add(pair)
    scratch.message(original, update, original.fullName)
    return scratch.problems.length === 0
  }

  messages(original: readonly protobuf.Type[], update: readonly protobuf.Type[], path: string): void {
    const byName = (types: readonly protobuf.Type[]) => new Map(types.map((type) => [type.name, type]))
    const o = byName(original)
    const u = byName(update)
    for (const [name, type] of o) {
      const other = u.get(name)
      // Map entries are synthetic messages in some parsers; protobufjs has none to remove.
      if (!other) this.add(`${path}${name}`, 'MESSAGE_REMOVED')
      else this.message(type, other, `${path}${name}`)
    }
  }

  message(original: protobuf.Type, update: protobuf.Type, path: string): void {
    const pair = `${original.fullName}\u0000${update.fullName}`
    if (this.#seen.has(pair)) return
    this.#seen.add(pair)
    const ofields = new Map(original.fieldsArray.map((f) => [f.id, f]))
    const ufields = new Map(update.fieldsArray.map((f) => [f.id, f]))
    const ooneofs = new Map<string, number[]>()
    for (const field of original.fieldsArray) {
      const oneof = realOneof(field)
      if (oneof) ooneofs.set(oneof, [...(ooneofs.get(oneof) ?? []), field.id])
    }
    const uoneofNames = new Set(update.fieldsArray.map(realOneof).filter((name) => name !== undefined))
    // A oneof removed with none of its members left anywhere is a complete (compatible) deletion.
    const deleted = new Set(
      [...ooneofs]
        .filter(([name, ids]) => !uoneofNames.has(name) && ids.every((id) => !ufields.has(id)))
        .map(([n]) => n),
    )
    // New mutual exclusivity: an update oneof gathering members of several original groups.
    for (const name of uoneofNames) {
      const groups = new Set<string>()
      let movedIn = 0
      for (const field of update.fieldsArray.filter((f) => realOneof(f) === name)) {
        const before = ofields.get(field.id)
        if (!before) continue
        const beforeOneof = realOneof(before)
        if (beforeOneof) groups.add(`oneof:${beforeOneof}`)
        else {
          groups.add(`field:${field.id}`)
          movedIn++
        }
      }
      if (groups.size > 1) {
        this.add(
          `${path}.${name}`,
          movedIn > 1 ? 'MULTIPLE_FIELDS_MOVED_TO_ONEOF' : 'FIELD_MOVED_TO_EXISTING_ONEOF',
        )
      }
    }
    for (const id of [...new Set([...ofields.keys(), ...ufields.keys()])].sort((a, b) => a - b)) {
      const before = ofields.get(id)
      const after = ufields.get(id)
      const at = `${path}.${id}`
      if (before && !after) {
        const oneof = realOneof(before)
        if (oneof) {
          if (!deleted.has(oneof)) this.add(at, 'ONEOF_FIELD_REMOVED')
        } else if (before.required) this.add(at, 'REQUIRED_FIELD_REMOVED')
      } else if (!before && after) {
        if (!realOneof(after) && after.required) this.add(at, 'REQUIRED_FIELD_ADDED')
      } else if (before && after) {
        this.field(before, after, at)
      }
    }
    const nested = (type: protobuf.Type) =>
      type.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type)
    this.messages(nested(original), nested(update), `${path}.`)
  }

  field(original: protobuf.Field, update: protobuf.Field, path: string): void {
    if (original instanceof protobuf.MapField && update instanceof protobuf.MapField) {
      if (
        (SCALAR_GROUPS[original.keyType] ?? original.keyType) !==
        (SCALAR_GROUPS[update.keyType] ?? update.keyType)
      ) {
        this.add(path, 'FIELD_SCALAR_KIND_CHANGED')
      }
    }
    const o = kindOf(original)
    const u = kindOf(update)
    if (
      o.kind !== u.kind &&
      !(original instanceof protobuf.MapField && update instanceof protobuf.MapField)
    ) {
      this.add(path, 'FIELD_KIND_CHANGED')
      return
    }
    if (o.kind === 'SCALAR' && u.kind === 'SCALAR') {
      if (o.group !== u.group) this.add(path, 'FIELD_SCALAR_KIND_CHANGED')
      else {
        const ol = labelOf(original)
        const ul = labelOf(update)
        if (ol && ul && ol !== ul && o.group !== 'STRING_OR_BYTES')
          this.add(path, 'FIELD_NUMERIC_LABEL_CHANGED')
      }
    } else if (o.kind === 'MESSAGE' && u.kind === 'MESSAGE') {
      if (localName(o.type) !== localName(u.type) || !this.compatible(o.type, u.type)) {
        this.add(path, 'FIELD_NAMED_TYPE_CHANGED')
      }
    } else if (original instanceof protobuf.MapField && update instanceof protobuf.MapField) {
      const ov = kindOf(original)
      const uv = kindOf(update)
      if (ov.kind !== uv.kind) this.add(path, 'FIELD_KIND_CHANGED')
      else if (ov.kind === 'SCALAR' && uv.kind === 'SCALAR' && ov.group !== uv.group) {
        this.add(path, 'FIELD_SCALAR_KIND_CHANGED')
      }
    }
  }
}

function lookupTypes(schema: ProtobufSchema): protobuf.Type[] {
  return schema.messages
    .map((name) => schema.root.lookup(name))
    .filter((type): type is protobuf.Type => type instanceof protobuf.Type)
}

/** The incompatible differences from `writer` to `reader` (empty: compatible). */
export function protobufDifferences(writer: ProtobufSchema, reader: ProtobufSchema): string[] {
  const diff = new Diff()
  if (writer.packageName !== reader.packageName)
    diff.add(reader.packageName || '(no package)', 'PACKAGE_CHANGED')
  diff.messages(lookupTypes(writer), lookupTypes(reader), writer.packageName ? `${writer.packageName}.` : '')
  return diff.problems
}
