import { UnknownSchemaIdError } from '@event-backbone/errors'
import type { SchemaRegistryClient } from '@event-backbone/serde'

/**
 * An in-memory SchemaRegistryClient for unit tests: ids are global and shared by equal schema
 * texts, as in the Confluent registry. It counts calls so tests can prove what the caches save.
 */
export class FakeRegistry implements SchemaRegistryClient {
  readonly schemas = new Map<number, string>()
  readonly calls = { register: 0, getSchemaById: 0 }
  /** When set, the next calls wait until it resolves (to hold requests in flight). */
  gate: Promise<void> | undefined
  /** When set, calls fail with it. */
  failure: Error | undefined

  async register(_subject: string, schema: string): Promise<number> {
    this.calls.register++
    await this.gate
    if (this.failure) throw this.failure
    return this.add(schema)
  }

  async getSchemaById(id: number): Promise<string> {
    this.calls.getSchemaById++
    await this.gate
    if (this.failure) throw this.failure
    const schema = this.schemas.get(id)
    if (schema === undefined)
      throw new UnknownSchemaIdError(`no schema id ${id}`, { context: { schemaId: id } })
    return schema
  }

  /** Stores a schema directly (as another producer would have) and returns its id. */
  add(schema: string): number {
    for (const [id, known] of this.schemas) if (known === schema) return id
    const id = this.schemas.size + 1
    this.schemas.set(id, schema)
    return id
  }
}
