import type avsc from 'avsc'

/** An avsc type with the members the code generators read (avsc's typings leave them out). */
export type SchemaNode = avsc.Type & {
  fields?: Array<{ name: string; type: avsc.Type; defaultValue(): unknown }>
  symbols?: string[]
  types?: avsc.Type[]
  itemsType?: avsc.Type
  valuesType?: avsc.Type
  underlyingType?: avsc.Type
}

/** Thrown while generating: the schema uses something avsc keeps handling on its own. */
export class Unsupported extends Error {}

/** The largest magnitude avsc's LongType handles without "potential precision loss". */
export const SAFE_LONG = 9007199254740990

/**
 * What the compiled reader and writer share: fresh `v<k>` locals, and externals (symbol arrays,
 * record constructors, logical types) passed into the generated function as `x<k>`.
 */
export class CodeGenerator {
  readonly externals: unknown[] = []
  /** The records being generated, to refuse recursive schemas (inlining would never end). */
  readonly onPath = new Set<avsc.Type>()
  next = 0

  local(): string {
    return `v${this.next++}`
  }

  external(value: unknown): string {
    this.externals.push(value)
    return `x${this.externals.length - 1}`
  }
}
