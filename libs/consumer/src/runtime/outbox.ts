import type { Message, TopicMessages } from 'kafkajs'

/** Records waiting to be produced: handler outputs and retry or dead-letter copies. */
export class Outbox {
  readonly #byTopic = new Map<string, Message[]>()
  #size = 0

  add(topic: string, message: Message): void {
    const list = this.#byTopic.get(topic)
    if (list) list.push(message)
    else this.#byTopic.set(topic, [message])
    this.#size++
  }

  addAll(other: Outbox): void {
    for (const [topic, messages] of other.#byTopic) for (const message of messages) this.add(topic, message)
  }

  get size(): number {
    return this.#size
  }

  /** Empties the outbox and returns its content in kafkajs's sendBatch shape. */
  drain(): TopicMessages[] {
    const batch = [...this.#byTopic].map(([topic, messages]) => ({ topic, messages }))
    this.#byTopic.clear()
    this.#size = 0
    return batch
  }
}
