/**
 * The npm packages that other repositories install, in build order (each after what it depends on).
 * Their sources live in libs/<dir>; internal libs (libs/consumer, libs/kafka-local, ...) are bundled
 * into the package that owns them, and packages reach each other by name only.
 */
export interface PackageSpec {
  /** Folder under libs/. */
  readonly dir: string
  readonly name: string
  /** Source entry, relative to the package folder. */
  readonly entry: string
  /** A library (types, API report, API docs) or a command (a bin, no types). */
  readonly kind: 'library' | 'command'
  /** Files copied into the package before packing: [from (repository-relative), to (package-relative)]. */
  readonly assets: ReadonlyArray<readonly [string, string]>
  /** Repository paths whose commits belong in the package's changelog: its folder, what it bundles. */
  readonly sources: readonly string[]
}

export const packages: readonly PackageSpec[] = [
  {
    dir: 'errors',
    name: '@event-backbone/errors',
    entry: 'index.ts',
    kind: 'library',
    assets: [],
    sources: ['libs/errors'],
  },
  {
    dir: 'catalog',
    name: '@event-backbone/catalog',
    entry: 'index.ts',
    kind: 'library',
    // The .avsc files ship too, for tools that read schemas (the types and texts are in the code).
    assets: [['schemas', 'schemas']],
    sources: ['libs/catalog', 'schemas'],
  },
  {
    dir: 'serde',
    name: '@event-backbone/serde',
    entry: 'index.ts',
    kind: 'library',
    assets: [],
    sources: ['libs/serde'],
  },
  {
    dir: 'client',
    name: '@event-backbone/client',
    entry: 'index.ts',
    kind: 'library',
    assets: [],
    sources: [
      'libs/client',
      'libs/events',
      'libs/publisher',
      'libs/consumer',
      'libs/kafka',
      'libs/state',
      'libs/observability',
    ],
  },
  {
    dir: 'testing',
    name: '@event-backbone/testing',
    entry: 'index.ts',
    kind: 'library',
    // libs/kafka-local finds its pom at ../maven/pom.xml from its module: dist/../maven in a package.
    assets: [['libs/kafka-local/maven/pom.xml', 'maven/pom.xml']],
    sources: ['libs/testing', 'libs/kafka-local', 'libs/schema-registry'],
  },
  {
    dir: 'cli',
    name: '@event-backbone/cli',
    entry: 'main.ts',
    kind: 'command',
    assets: [['libs/kafka-local/maven/pom.xml', 'maven/pom.xml']],
    sources: [
      'libs/cli',
      'libs/dlq',
      'libs/stack',
      'libs/access',
      'libs/kafka-local',
      'libs/schema-registry',
    ],
  },
]

/** The package's unscoped name: the file name of its API report. */
export function shortName(spec: PackageSpec): string {
  return spec.name.split('/')[1] ?? spec.name
}
