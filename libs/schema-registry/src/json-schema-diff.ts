import type { JsonSchemaDocument } from './json-schema.ts'

/*
 * JSON Schema compatibility in Confluent Schema Registry's terms (its SchemaDiff, strict policy):
 * the reader ("update") must accept every document the writer ("original") accepted. Only the
 * differences CSR counts as incompatible are reported, each with its JSON path. Content models:
 * open (additionalProperties absent or true), closed (false) or partially open (a schema).
 */

type Node = Record<string, unknown> | boolean
type Doc = { readonly root: unknown; readonly referenced: ReadonlyMap<string, unknown> }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function pointer(root: unknown, fragment: string): unknown {
  if (fragment === '' || fragment === '/') return root
  let node: unknown = root
  for (const raw of fragment.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined
  }
  return node
}

/** Follows `$ref`s (local pointers and references by name) to the schema they name. */
function deref(doc: Doc, node: unknown, depth = 0): { doc: Doc; node: Node } {
  if (!isObject(node) || typeof node['$ref'] !== 'string' || depth > 32) {
    return { doc, node: (isObject(node) || typeof node === 'boolean' ? node : true) as Node }
  }
  const ref = node['$ref']
  const hash = ref.indexOf('#')
  const base = hash < 0 ? ref : ref.slice(0, hash)
  const fragment = hash < 0 ? '' : ref.slice(hash + 1)
  const target = base === '' ? doc : { root: doc.referenced.get(base), referenced: doc.referenced }
  return deref(target, pointer(target.root, fragment), depth + 1)
}

const TYPES = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'] as const

function typesOf(node: Record<string, unknown>): Set<string> {
  const declared = node['type']
  if (typeof declared === 'string') return new Set([declared])
  if (Array.isArray(declared)) return new Set(declared.filter((t): t is string => typeof t === 'string'))
  return new Set(TYPES)
}

const isEmptySchema = (node: Node) => node === true || (isObject(node) && Object.keys(node).length === 0)

/** Comparisons allowed per check: nested `oneOf`s over `$ref`s can otherwise grow exponentially. */
const BUDGET = 50_000

interface Shared {
  readonly ids: WeakMap<object, number>
  next: number
  steps: number
}

class Diff {
  readonly problems: string[] = []
  readonly #seen: Set<string>
  readonly #shared: Shared

  constructor(shared: Shared = { ids: new WeakMap(), next: 0, steps: 0 }, seen = new Set<string>()) {
    this.#shared = shared
    this.#seen = seen
  }

  #id(node: unknown): number {
    if (typeof node !== 'object' || node === null) return node === false ? -1 : -2
    let id = this.#shared.ids.get(node)
    if (id === undefined) {
      id = this.#shared.next++
      this.#shared.ids.set(node, id)
    }
    return id
  }

  add(path: string, kind: string): void {
    this.problems.push(`${kind} at ${path || '#/'}`)
  }

  /** Compares under a scratch list: whether `original` → `update` is compatible, without reporting. */
  compatible(original: { doc: Doc; node: unknown }, update: { doc: Doc; node: unknown }, path: string) {
    // The pairs being compared stay "seen", so a cycle through a combination ends here too.
    const scratch = new Diff(this.#shared, new Set(this.#seen))
    scratch.compare(original.doc, original.node, update.doc, update.node, path)
    return scratch.problems.length === 0
  }

  compare(od: Doc, originalRaw: unknown, ud: Doc, updateRaw: unknown, path: string): void {
    if (++this.#shared.steps > BUDGET) {
      if (this.#shared.steps === BUDGET + 1 || this.problems.length === 0)
        this.add(path, 'TOO_COMPLEX_TO_COMPARE')
      return
    }
    const o = deref(od, originalRaw)
    const u = deref(ud, updateRaw)
    const pair = `${this.#id(o.node)}:${this.#id(u.node)}`
    if (this.#seen.has(pair)) return // a cycle: treated as compatible, as CSR's memo does
    this.#seen.add(pair)
    const original = o.node
    const update = u.node
    if (update === true || isEmptySchema(update)) return
    if (update === false) {
      if (original !== false) this.add(path, 'SCHEMA_NARROWED')
      return
    }
    if (original === false) return
    const orig = original === true ? {} : original
    const upd = update as Record<string, unknown>
    this.#types(orig, upd, path)
    this.#combined(o.doc, orig, u.doc, upd, path)
    this.#enumAndConst(orig, upd, path)
    const shared = [...typesOf(orig)].filter(
      (t) => typesOf(upd).has(t) || (t === 'integer' && typesOf(upd).has('number')),
    )
    if (shared.includes('string')) this.#limits(orig, upd, path, 'maxLength', 'minLength')
    if (shared.includes('number') || shared.includes('integer')) this.#numbers(orig, upd, path)
    if (shared.includes('array')) this.#arrays(o.doc, orig, u.doc, upd, path)
    if (shared.includes('object')) this.#objects(o.doc, orig, u.doc, upd, path)
  }

  #types(orig: Record<string, unknown>, upd: Record<string, unknown>, path: string): void {
    const before = typesOf(orig)
    const after = typesOf(upd)
    const lost = [...before].filter((t) => !after.has(t) && !(t === 'integer' && after.has('number')))
    if (lost.length === 0) return
    this.add(path, lost.length === before.size ? 'TYPE_CHANGED' : 'TYPE_NARROWED')
  }

  #enumAndConst(orig: Record<string, unknown>, upd: Record<string, unknown>, path: string): void {
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
    if (Array.isArray(upd['enum'])) {
      const allowed = upd['enum'] as unknown[]
      if (!Array.isArray(orig['enum'])) this.add(path, 'ENUM_ARRAY_NARROWED')
      else if ((orig['enum'] as unknown[]).some((value) => !allowed.some((a) => same(a, value)))) {
        this.add(path, 'ENUM_ARRAY_NARROWED')
      }
    }
    if ('const' in upd && !('const' in orig && same(orig['const'], upd['const'])))
      this.add(path, 'CONST_CHANGED')
    if ('not' in upd && !('not' in orig && same(orig['not'], upd['not']))) this.add(path, 'NOT_TYPE_EXTENDED')
    if (typeof upd['pattern'] === 'string' && upd['pattern'] !== orig['pattern']) {
      this.add(path, orig['pattern'] === undefined ? 'PATTERN_ADDED' : 'PATTERN_CHANGED')
    }
  }

  /** A maximum may grow or go, a minimum may shrink or go; anything else narrows. */
  #limits(
    orig: Record<string, unknown>,
    upd: Record<string, unknown>,
    path: string,
    max: string,
    min: string,
  ) {
    const name = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()
    const o = orig[max]
    const u = upd[max]
    if (typeof u === 'number' && (typeof o !== 'number' || u < o)) {
      this.add(path, `${name(max)}_${typeof o === 'number' ? 'DECREASED' : 'ADDED'}`)
    }
    const om = orig[min]
    const um = upd[min]
    if (typeof um === 'number' && um > 0 && (typeof om !== 'number' || um > om)) {
      this.add(path, `${name(min)}_${typeof om === 'number' ? 'INCREASED' : 'ADDED'}`)
    }
  }

  #numbers(orig: Record<string, unknown>, upd: Record<string, unknown>, path: string): void {
    this.#limits(orig, upd, path, 'maximum', 'minimum')
    this.#limits(orig, upd, path, 'exclusiveMaximum', 'exclusiveMinimum')
    const o = orig['multipleOf']
    const u = upd['multipleOf']
    if (typeof u === 'number' && (typeof o !== 'number' || o % u !== 0)) {
      this.add(path, typeof o === 'number' ? 'MULTIPLE_OF_CHANGED' : 'MULTIPLE_OF_ADDED')
    }
  }

  #arrays(od: Doc, orig: Record<string, unknown>, ud: Doc, upd: Record<string, unknown>, path: string) {
    this.#limits(orig, upd, path, 'maxItems', 'minItems')
    if (upd['uniqueItems'] === true && orig['uniqueItems'] !== true) this.add(path, 'UNIQUE_ITEMS_ADDED')
    const oi = orig['items']
    const ui = upd['items']
    if (Array.isArray(oi) || Array.isArray(ui)) {
      const os = Array.isArray(oi) ? oi : []
      const us = Array.isArray(ui) ? ui : []
      us.forEach((item, i) => {
        if (i < os.length) this.compare(od, os[i], ud, item, `${path}/items/${i}`)
        else if (
          upd['additionalItems'] !== false &&
          orig['additionalItems'] !== false &&
          !isEmptySchema(item as Node)
        ) {
          this.add(`${path}/items/${i}`, 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL')
        }
      })
      if (os.length > us.length && upd['additionalItems'] === false) {
        this.add(`${path}/items`, 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL')
      }
      return
    }
    if (ui !== undefined) this.compare(od, oi ?? true, ud, ui, `${path}/items`)
  }

  #objects(od: Doc, orig: Record<string, unknown>, ud: Doc, upd: Record<string, unknown>, path: string) {
    const props = (node: Record<string, unknown>) => (isObject(node['properties']) ? node['properties'] : {})
    const required = (node: Record<string, unknown>) =>
      new Set(Array.isArray(node['required']) ? (node['required'] as unknown[]).map(String) : [])
    const op = props(orig)
    const up = props(upd)
    const oreq = required(orig)
    const ureq = required(upd)
    const open = (node: Record<string, unknown>) =>
      (node['additionalProperties'] === undefined || node['additionalProperties'] === true) &&
      !isObject(node['patternProperties'])
    const partial = (node: Record<string, unknown>, key: string): unknown => {
      if (isObject(node['patternProperties'])) {
        for (const [pattern, schema] of Object.entries(node['patternProperties'])) {
          try {
            if (new RegExp(pattern, 'u').test(key)) return schema
          } catch {}
        }
      }
      return isObject(node['additionalProperties']) ? node['additionalProperties'] : undefined
    }
    const hasDefault = (node: unknown) => isObject(node) && 'default' in node
    for (const key of new Set([...Object.keys(op), ...Object.keys(up)])) {
      const at = `${path}/properties/${key}`
      if (key in op && key in up) {
        this.compare(od, op[key], ud, up[key], at)
        if (!oreq.has(key) && ureq.has(key) && !hasDefault(up[key])) this.add(at, 'REQUIRED_ATTRIBUTE_ADDED')
      } else if (key in op) {
        // Removed: the reader must still accept what the writer allowed under that name.
        if (open(upd)) continue
        const covering = partial(upd, key)
        if (covering !== undefined) {
          if (!this.compatible({ doc: od, node: op[key] }, { doc: ud, node: covering }, at)) {
            this.add(at, 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL')
          }
        } else if (op[key] !== false) {
          this.add(at, 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL')
        }
      } else if (open(orig)) {
        // Added to an open model: old data may hold anything under that name.
        if (!isEmptySchema(deref(ud, up[key]).node)) {
          this.add(
            at,
            ureq.has(key)
              ? 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL'
              : 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
          )
        }
      } else {
        const covering = partial(orig, key)
        if (
          covering !== undefined &&
          !this.compatible({ doc: od, node: covering }, { doc: ud, node: up[key] }, at)
        ) {
          this.add(at, 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL')
        }
        if (ureq.has(key) && !hasDefault(up[key]))
          this.add(at, 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL')
      }
    }
    const oa = orig['additionalProperties']
    const ua = upd['additionalProperties']
    const at = `${path}/additionalProperties`
    if (ua === false && oa !== false) this.add(at, 'ADDITIONAL_PROPERTIES_REMOVED')
    else if (isObject(ua) && (oa === undefined || oa === true)) this.add(at, 'ADDITIONAL_PROPERTIES_NARROWED')
    else if (isObject(ua) && isObject(oa)) this.compare(od, oa, ud, ua, at)
    this.#limits(orig, upd, path, 'maxProperties', 'minProperties')
  }

  #combined(od: Doc, orig: Record<string, unknown>, ud: Doc, upd: Record<string, unknown>, path: string) {
    for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
      const ub = upd[keyword]
      if (!Array.isArray(ub)) continue
      const at = `${path}/${keyword}`
      const ob = orig[keyword]
      if (!Array.isArray(ob)) {
        // The writer had no such combination: each of its documents must fit the reader's.
        const fits = (branch: unknown) =>
          this.compatible({ doc: od, node: orig }, { doc: ud, node: branch }, at)
        if (keyword === 'allOf' ? !ub.every(fits) : !ub.some(fits))
          this.add(at, 'COMBINED_TYPE_SUBSCHEMAS_CHANGED')
        continue
      }
      if (keyword === 'allOf') {
        // Every reader constraint must already hold for the writer's documents.
        const unmatched = ub.some(
          (u) => !ob.some((o) => this.compatible({ doc: od, node: o }, { doc: ud, node: u }, at)),
        )
        if (unmatched) this.add(at, 'PRODUCT_TYPE_EXTENDED')
      } else {
        // Every writer branch must be readable by some reader branch.
        const unmatched = ob.some(
          (o) => !ub.some((u) => this.compatible({ doc: od, node: o }, { doc: ud, node: u }, at)),
        )
        if (unmatched) this.add(at, 'SUM_TYPE_NARROWED')
      }
    }
  }
}

/** The incompatible differences from `writer` to `reader` (empty: the reader reads all the writer wrote). */
export function jsonSchemaDifferences(writer: JsonSchemaDocument, reader: JsonSchemaDocument): string[] {
  const diff = new Diff()
  diff.compare(
    { root: writer.document, referenced: writer.referenced },
    writer.document,
    { root: reader.document, referenced: reader.referenced },
    reader.document,
    '#',
  )
  return diff.problems
}
