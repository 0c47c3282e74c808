import { posix } from 'node:path';
import { ExtractionError } from '../extract.errors.js';
import { attrOf, childrenOf, deepText, findAll, parseXml, tagOf, type XmlNode } from './xml.js';
import type { ZipArchive } from './zip.js';

/** Reading an OOXML package's parts: XML, relationships, document properties. */

export async function readXmlPart(zip: ZipArchive, path: string): Promise<XmlNode[]> {
  checkPartSize(zip, path);
  const text = await zip.readText(path);
  // OOXML never declares a DOCTYPE; one here is an attempt at entity tricks.
  if (/<!DOCTYPE/i.test(text.slice(0, 4096))) {
    throw new ExtractionError(
      'corrupt',
      `the file is damaged and cannot be opened (${path} declares a DOCTYPE)`,
    );
  }
  return parseXml(text);
}

/** A part is parsed whole into objects several times its size: bounded before it is read. */
export function checkPartSize(zip: ZipArchive, path: string): void {
  const size = zip.entry(path)?.uncompressedSize ?? 0;
  if (size > zip.limits.maxPartBytes) {
    throw new ExtractionError(
      'too_large',
      `${path} holds ${formatBytes(size)} of XML; the limit is ${formatBytes(zip.limits.maxPartBytes)}. Split the document`,
    );
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export interface Relationship {
  type: string;
  /** The target part's path inside the package. */
  target: string;
}

/** The relationships of a part, by id (`rId3`); external targets are left out. */
export async function readRelationships(
  zip: ZipArchive,
  partPath: string,
): Promise<Map<string, Relationship>> {
  const dir = posix.dirname(partPath);
  const relsPath = posix.join(dir, '_rels', `${posix.basename(partPath)}.rels`);
  const relationships = new Map<string, Relationship>();
  if (!zip.has(relsPath)) return relationships;
  for (const node of findAll(await readXmlPart(zip, relsPath), 'Relationship')) {
    const id = attrOf(node, 'Id');
    const target = attrOf(node, 'Target');
    if (!id || !target || attrOf(node, 'TargetMode') === 'External') continue;
    const resolved = target.startsWith('/') ? target.slice(1) : posix.join(dir, target);
    relationships.set(id, { type: attrOf(node, 'Type') ?? '', target: posix.normalize(resolved) });
  }
  return relationships;
}

/** Title and author from `docProps/core.xml`, when present. */
export async function readCoreProperties(zip: ZipArchive): Promise<Record<string, string>> {
  const properties: Record<string, string> = {};
  if (!zip.has('docProps/core.xml')) return properties;
  const root = await readXmlPart(zip, 'docProps/core.xml');
  const wanted: Record<string, string> = { title: 'title', creator: 'author', subject: 'subject' };
  for (const node of root.flatMap(childrenOf)) {
    const key = wanted[tagOf(node)];
    const value = deepText(childrenOf(node)).trim();
    if (key && value) properties[key] = value;
  }
  return properties;
}

/** `rId…` relationship types end with a stable suffix across the transitional and strict schemas. */
export function isRelationshipType(relationship: Relationship, suffix: string): boolean {
  return relationship.type.endsWith(`/${suffix}`);
}
