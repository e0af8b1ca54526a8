import protobuf from 'protobufjs'
import descriptor from 'protobufjs/ext/descriptor/index.js'
import type { ResolvedSchema } from './avro.ts'
import { httpErrors } from './errors.ts'
import { protobufDifferences } from './protobuf-diff.ts'
import type { ParsedSchema } from './schema-types.ts'

/**
 * A parsed Protobuf schema: every type of the file and its references resolved in one protobufjs
 * root, and the names of the types the file itself declares (what compatibility compares).
 */
export interface ProtobufSchema extends ParsedSchema {
  readonly schemaType: 'PROTOBUF'
  readonly root: protobuf.Root
  readonly packageName: string
  /** Fully qualified names of the file's own top-level messages, in declaration order. */
  readonly messages: readonly string[]
  /** The schema as a base64 FileDescriptorProto when it was registered so (what `format=serialized` answers). */
  readonly serialized?: string
}

interface FileContent {
  readonly packageName: string
  readonly messages: string[]
  readonly imports: string[]
}

/** Confluent's JavaScript and Python serializers register a base64-encoded FileDescriptorProto. */
function asDescriptor(text: string): Uint8Array | undefined {
  const trimmed = text.trim()
  if (trimmed === '' || !/^[A-Za-z0-9+/\r\n]+={0,2}$/.test(trimmed)) return undefined
  return Buffer.from(trimmed, 'base64')
}

function wellKnown(name: string): boolean {
  return name.startsWith('google/protobuf/')
}

function addWellKnown(root: protobuf.Root, name: string): void {
  const definition = protobuf.common.get(name) as { nested?: Record<string, protobuf.AnyNestedObject> } | null
  if (!definition?.nested) throw httpErrors.invalidSchema(`unknown well-known import ${name}`)
  try {
    root.addJSON(definition.nested)
  } catch {
    // already added by another file
  }
}

/** Adds one file (text or descriptor) to the root; returns what it declares. */
function addFile(root: protobuf.Root, text: string): FileContent {
  const bytes = asDescriptor(text)
  if (bytes) {
    let file: protobuf.Message & descriptor.IFileDescriptorProto
    try {
      file = descriptor.FileDescriptorProto.decode(bytes) as protobuf.Message &
        descriptor.IFileDescriptorProto
    } catch (error) {
      throw httpErrors.invalidSchema(
        `not a .proto text nor a FileDescriptorProto: ${(error as Error).message}`,
      )
    }
    const packageName = file.package ?? ''
    const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: unknown): protobuf.Root })
      .fromDescriptor
    const own = fromDescriptor({ file: [file] })
    for (const nested of [...own.nestedArray]) {
      own.remove(nested)
      root.add(nested)
    }
    return {
      packageName,
      messages: (file.messageType ?? []).map((m) => (packageName ? `${packageName}.${m.name}` : `${m.name}`)),
      imports: file.dependency ?? [],
    }
  }
  const parsed = protobuf.parse(text, root, { keepCase: true, alternateCommentMode: true })
  const alone = protobuf.parse(text, { keepCase: true }).root
  const packageName = parsed.package ?? ''
  const scope = packageName ? alone.lookup(packageName) : alone
  const messages = (scope instanceof protobuf.Namespace ? scope.nestedArray : [])
    .filter((nested) => nested instanceof protobuf.Type)
    .map((nested) => nested.fullName.replace(/^\./, ''))
  return { packageName, messages, imports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])] }
}

function addReferences(root: protobuf.Root, references: readonly ResolvedSchema[], added: Set<string>): void {
  for (const reference of references) {
    if (added.has(reference.name)) continue
    added.add(reference.name)
    addReferences(root, reference.references, added)
    const content = addFile(root, reference.schema)
    for (const name of content.imports) if (wellKnown(name)) addWellKnown(root, name)
  }
}

/**
 * Parses a Protobuf schema (.proto text or base64 FileDescriptorProto) with protobufjs. Imports
 * must be references (by import path) or well-known types; every type must resolve: otherwise 42201.
 */
export function parseProtobuf(text: string, references: readonly ResolvedSchema[]): ProtobufSchema {
  const root = new protobuf.Root()
  let content: FileContent
  try {
    const added = new Set<string>()
    addReferences(root, references, added)
    content = addFile(root, text)
    for (const name of content.imports) {
      if (wellKnown(name)) addWellKnown(root, name)
      else if (!added.has(name))
        throw httpErrors.invalidSchema(`import "${name}" is not among the references`)
    }
    root.resolveAll()
  } catch (error) {
    if (error instanceof Error && error.name === 'RegistryHttpError') throw error
    throw httpErrors.invalidSchema((error as Error).message)
  }
  const serialized = asDescriptor(text) ? text.trim() : undefined
  const parsed: ProtobufSchema = {
    schemaType: 'PROTOBUF',
    canonical: serialized ?? text,
    root,
    packageName: content.packageName,
    messages: content.messages,
    ...(serialized ? { serialized } : {}),
    readErrors(writer) {
      if (writer.schemaType !== 'PROTOBUF') return [`the writer is ${writer.schemaType}, not PROTOBUF`]
      return protobufDifferences(writer as ProtobufSchema, parsed)
    },
  }
  return parsed
}
