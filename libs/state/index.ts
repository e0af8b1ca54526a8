export type { Applied, Changes, PartitionStoreOptions, ValueCodec } from './src/partition-store.ts'
export { APPLIED_KEY, changelogTopicSpec, jsonCodec, PartitionStore } from './src/partition-store.ts'
export { FENCE_KEY, readPartition } from './src/read-partition.ts'
