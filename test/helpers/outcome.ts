/** What running `operation` gave: its value, or the message of what it threw (compared by value). */
export type Outcome<T> = { readonly value: T } | { readonly error: string }

export function outcomeOf<T>(operation: () => T): Outcome<T> {
  try {
    return { value: operation() }
  } catch (error) {
    return { error: (error as Error).message }
  }
}
