/**
 * A partition's values as the handler sees them (a Map), decoded only when read. A restore puts
 * each key's changelog bytes as one flat string (latin1: byte for byte, one allocation) instead of
 * the decoded object graph, which costs the restore a decode and the garbage collector several
 * objects per key for state a handler mostly never reads (the ledger looks up one paymentId per
 * record). A value is decoded on its first `get` and kept decoded; iterating decodes them all.
 */
export class LazyValues<V> extends Map<string, V> {
  readonly #encoded = new Map<string, string>()
  readonly #decode: (bytes: Buffer) => V

  constructor(decode: (bytes: Buffer) => V) {
    super()
    this.#decode = decode
  }

  /** Sets a key to its encoded value, decoded when first read. */
  setEncoded(key: string, bytes: Buffer): void {
    super.delete(key)
    this.#encoded.set(key, bytes.toString('latin1'))
  }

  override get(key: string): V | undefined {
    if (super.has(key)) return super.get(key)
    const encoded = this.#encoded.get(key)
    if (encoded === undefined) return undefined
    const value = this.#decode(Buffer.from(encoded, 'latin1'))
    this.#encoded.delete(key)
    super.set(key, value)
    return value
  }

  override has(key: string): boolean {
    return super.has(key) || this.#encoded.has(key)
  }

  override set(key: string, value: V): this {
    this.#encoded.delete(key)
    return super.set(key, value)
  }

  override delete(key: string): boolean {
    const encoded = this.#encoded.delete(key)
    return super.delete(key) || encoded
  }

  override clear(): void {
    this.#encoded.clear()
    super.clear()
  }

  override get size(): number {
    return super.size + this.#encoded.size
  }

  override entries(): MapIterator<[string, V]> {
    this.#decodeAll()
    return super.entries()
  }

  override keys(): MapIterator<string> {
    this.#decodeAll()
    return super.keys()
  }

  override values(): MapIterator<V> {
    this.#decodeAll()
    return super.values()
  }

  override forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.#decodeAll()
    super.forEach(callback, thisArg)
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries()
  }

  #decodeAll(): void {
    if (this.#encoded.size === 0) return
    for (const [key, encoded] of this.#encoded) super.set(key, this.#decode(Buffer.from(encoded, 'latin1')))
    this.#encoded.clear()
  }
}
