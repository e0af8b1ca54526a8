export type { PartitionStoreOptions, ValueCodec } from './src/partition-store.ts'
export { changelogTopicSpec, jsonCodec, PartitionStore } from './src/partition-store.ts'
export { readPartition } from './src/read-partition.ts'
