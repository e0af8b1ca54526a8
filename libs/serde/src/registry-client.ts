/**
 * The two registry calls serde needs. Implementations map failures to the serde errors:
 * UnknownSchemaIdError (not retriable) for an id the registry does not know,
 * RegistryUnavailableError (retriable) when it cannot be reached or answers 5xx.
 */
export interface SchemaRegistryClient {
  /** Registers (or finds) `schema` under `subject` and returns its global id. */
  register(subject: string, schema: string): Promise<number>
  /** The schema text (JSON) stored under a global id. */
  getSchemaById(id: number): Promise<string>
}
