import { TopicFamily } from './topics.ts'

/** Replication of one topic: how many copies, and how many must have a write before acks=all answers. */
export interface Durability {
  readonly replicationFactor: number
  readonly minInsyncReplicas: number
}

/** Per-family overrides of the default; a field left out keeps the default. */
export type DurabilityProfile = Readonly<Partial<Record<TopicFamily, Partial<Durability>>>>

/**
 * The default for every family: RF = min(3, brokers) and min ISR = RF - 1, at least 1. With three
 * brokers a write survives one broker down (2 of 3 in sync still accept acks=all writes) and no
 * acknowledged write lives on a single disk; on one broker it degrades to RF 1 / min ISR 1, the
 * only setting one broker can serve.
 */
export function defaultDurability(brokers: number): Durability {
  const replicationFactor = Math.max(1, Math.min(3, Math.floor(brokers)))
  return { replicationFactor, minInsyncReplicas: Math.max(1, replicationFactor - 1) }
}

/**
 * The durability of a topic of `family` on a cluster of `brokers`, overrides applied. An override
 * may ask for more replicas than there are brokers (creation then fails, as it should); a min ISR
 * above the replication factor is refused here, because no write could ever succeed.
 */
export function durabilityFor(
  family: TopicFamily,
  brokers: number,
  profile: DurabilityProfile = {},
): Durability {
  const base = defaultDurability(brokers)
  const override = profile[family] ?? {}
  const replicationFactor = override.replicationFactor ?? base.replicationFactor
  const minInsyncReplicas =
    override.minInsyncReplicas ??
    (override.replicationFactor === undefined ? base.minInsyncReplicas : Math.max(1, replicationFactor - 1))
  for (const [field, value] of [
    ['replicationFactor', replicationFactor],
    ['minInsyncReplicas', minInsyncReplicas],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${family}.${field} needs to be a whole number of at least 1, got ${value}`)
    }
  }
  if (minInsyncReplicas > replicationFactor) {
    throw new RangeError(
      `${family}.minInsyncReplicas (${minInsyncReplicas}) cannot be more than its replicationFactor (${replicationFactor})`,
    )
  }
  return { replicationFactor, minInsyncReplicas }
}

/** Parses `BACKBONE_DURABILITY`: `family:rf/minisr` pairs separated by commas, e.g. `dead-letter:2/1`. */
export function parseDurabilityProfile(value: string | undefined): DurabilityProfile {
  const profile: Partial<Record<TopicFamily, Partial<Durability>>> = {}
  for (const part of (value ?? '').split(',').map((p) => p.trim())) {
    if (part === '') continue
    const match = /^([a-z-]+):(\d+)(?:\/(\d+))?$/.exec(part)
    const family = match?.[1] as TopicFamily | undefined
    if (!match || !family || !Object.values(TopicFamily).includes(family)) {
      throw new RangeError(
        `BACKBONE_DURABILITY entry '${part}' needs the shape family:rf[/minisr] with a family of ${Object.values(TopicFamily).join(', ')}`,
      )
    }
    profile[family] = {
      replicationFactor: Number(match[2]),
      ...(match[3] === undefined ? {} : { minInsyncReplicas: Number(match[3]) }),
    }
  }
  return profile
}
