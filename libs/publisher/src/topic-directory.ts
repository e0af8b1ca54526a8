/**
 * Which topics exist. kafkajs adds every topic it is asked to produce to into its metadata targets
 * and retries an unknown one without end (the idempotent producer retries forever), which would stall
 * every other publish too. So a topic reaches the producer only once the cluster has listed it;
 * concurrent look-ups share one listing. Absent topics are not remembered: they may be created later.
 */
export class TopicDirectory {
  readonly #list: () => Promise<readonly string[]>
  readonly #known = new Set<string>()
  #listing: Promise<void> | undefined

  constructor(list: () => Promise<readonly string[]>) {
    this.#list = list
  }

  isKnown(topic: string): boolean {
    return this.#known.has(topic)
  }

  async exists(topic: string): Promise<boolean> {
    if (this.#known.has(topic)) return true
    this.#listing ??= this.#list().then(
      (topics) => {
        for (const name of topics) this.#known.add(name)
        this.#listing = undefined
      },
      (error: unknown) => {
        this.#listing = undefined
        throw error
      },
    )
    await this.#listing
    return this.#known.has(topic)
  }
}
