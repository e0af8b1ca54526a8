/**
 * Keeps publishes in call order on their way into the buffer. Encoding is async and may finish out
 * of order (a first schema lookup is slower than a cached one); a record enters the buffer only
 * after every earlier publish has entered or failed, so same-key events keep their publish order.
 * A record that does not fit waits at the head, and everything behind it waits too (FIFO).
 */
export interface Ticket<R> {
  state: 'encoding' | 'ready' | 'done'
  record: R | undefined
}

export class OrderedAdmission<R> {
  #tickets: Array<Ticket<R>> = []
  #head = 0
  #open = 0

  /** Publishes taken and not yet admitted or given up: encoding, or waiting for room or order. */
  get waiting(): number {
    return this.#open
  }

  open(): Ticket<R> {
    const ticket: Ticket<R> = { state: 'encoding', record: undefined }
    this.#tickets.push(ticket)
    this.#open += 1
    return ticket
  }

  ready(ticket: Ticket<R>, record: R): void {
    if (ticket.state !== 'encoding') throw new RangeError('a ticket becomes ready once')
    ticket.state = 'ready'
    ticket.record = record
  }

  /** True when `ticket` is first in line: if it is not admitted, it waits for room, not for order. */
  atHead(ticket: Ticket<R>): boolean {
    return this.#tickets[this.#head] === ticket
  }

  /** Gives up a ticket that was not admitted; false when it already was (or was given up). */
  cancel(ticket: Ticket<R>): boolean {
    if (ticket.state === 'done') return false
    ticket.state = 'done'
    ticket.record = undefined
    this.#open -= 1
    return true
  }

  /** Admits ready records from the head while `admit` accepts them; returns how many it admitted. */
  pump(admit: (record: R) => boolean): number {
    let admitted = 0
    while (this.#head < this.#tickets.length) {
      const ticket = this.#tickets[this.#head]!
      if (ticket.state === 'encoding') break
      if (ticket.state === 'ready') {
        if (!admit(ticket.record!)) break
        ticket.state = 'done'
        ticket.record = undefined
        this.#open -= 1
        admitted += 1
      }
      this.#head += 1
    }
    if (this.#head === this.#tickets.length) {
      this.#tickets = []
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#tickets.length) {
      this.#tickets = this.#tickets.slice(this.#head)
      this.#head = 0
    }
    return admitted
  }
}
