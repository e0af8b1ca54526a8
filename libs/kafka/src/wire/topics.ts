/**
 * The backbone's topic families: every topic it creates belongs to exactly one, and the family
 * decides its name (the functions in ../topics/naming.ts) and its durability (./durability.ts).
 * docs/kafka.md has the same table; test/unit/kafka/wire-doc.test.ts keeps them in step.
 */
export const TopicFamily = {
  /** The catalog's topics: events the services publish, the consumers' outputs among them. */
  domain: 'domain',
  /** `<group>.<topic>.retry.<tier>`: a group's delayed redelivery tiers. */
  retry: 'retry',
  /** `<group>.<topic>.dlt`: a group's dead-letter topic. */
  deadLetter: 'dead-letter',
  /** `<group>.<store>.changelog`: the compacted topic behind a state store. */
  changelog: 'changelog',
  /** `_schemas`: the embedded schema registry's compacted storage. */
  registry: 'registry',
  /** `_backbone-replay-jobs`: the latest state of each replay job (compacted). */
  replayJobs: 'replay-jobs',
  /** `_backbone-replay-audit`: one record per replay, kept a year. */
  replayAudit: 'replay-audit',
} as const
export type TopicFamily = (typeof TopicFamily)[keyof typeof TopicFamily]

export const topicFamilies: readonly TopicFamily[] = Object.values(TopicFamily)

/** The suffixes that name a group's own topics after `<group>.<topic>`. */
export const topicSuffix = {
  retry: '.retry.',
  deadLetter: '.dlt',
  changelog: '.changelog',
} as const

/** Topics with one fixed name per cluster. */
export const fixedTopic = {
  registry: '_schemas',
  replayJobs: '_backbone-replay-jobs',
  replayAudit: '_backbone-replay-audit',
} as const

/** Prefixes of transactional ids and throw-away consumer groups the backbone uses. */
export const idPrefix = {
  /** A replay job's transactional id: `replay-<jobId>`. */
  replayTransaction: 'replay-',
  /** Readers of dead-letter topics: `_backbone-dlq-reader-<random>`. */
  dlqReaderGroup: '_backbone-dlq-reader-',
  /** The registry's writer (transactional id `schema-registry-<topic>`) and readers' groups. */
  registry: 'schema-registry-',
  /** A state store's restore group: `<changelog topic>.restore.<uuid>`. */
  restoreGroupInfix: '.restore.',
} as const
