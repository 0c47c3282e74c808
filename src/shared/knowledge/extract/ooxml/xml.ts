import { XMLParser } from 'fast-xml-parser';

/**
 * OOXML parts parsed in document order (fast-xml-parser's `preserveOrder` form): each node is
 * `{ [qualifiedTag]: children, ':@'?: attributes }`, a text node is `{ '#text': string }`.
 * Entities are decoded here in one pass (the parser would leave numeric references such as
 * `&#x41;` encoded, and decoding after it would decode `&amp;#65;` twice); DOCTYPE entities are
 * never expanded.
 */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 256,
});

export function parseXml(text: string): XmlNode[] {
  return parser.parse(text) as XmlNode[];
}

/** The tag without its namespace prefix (`w:p` → `p`); `#text` for text nodes. */
export function tagOf(node: XmlNode): string {
  for (const key of Object.keys(node)) {
    if (key === ':@') continue;
    const colon = key.indexOf(':');
    return colon === -1 ? key : key.slice(colon + 1);
  }
  return '';
}

export function childrenOf(node: XmlNode): XmlNode[] {
  for (const key of Object.keys(node)) {
    if (key === ':@' || key === '#text') continue;
    const value = node[key];
    return Array.isArray(value) ? (value as XmlNode[]) : [];
  }
  return [];
}

/** An attribute by qualified name (`r:id`), decoded. */
export function attrOf(node: XmlNode, name: string): string | undefined {
  const attributes = node[':@'] as Record<string, string> | undefined;
  const value = attributes?.[name];
  return value === undefined ? undefined : decodeEntities(value);
}

/** A text node's text, decoded; '' for other nodes. */
export function textOf(node: XmlNode): string {
  const text = node['#text'];
  return typeof text === 'string' ? decodeEntities(text) : '';
}

/** The first child that is an element (not a whitespace text node). */
export function firstElement(node: XmlNode): XmlNode | undefined {
  return childrenOf(node).find((child) => tagOf(child) !== '#text');
}

export function childNamed(node: XmlNode, tag: string): XmlNode | undefined {
  return childrenOf(node).find((child) => tagOf(child) === tag);
}

/** Depth-first search for the first descendant with this tag. */
export function findFirst(nodes: XmlNode[], tag: string): XmlNode | undefined {
  for (const node of nodes) {
    if (tagOf(node) === tag) return node;
    const found = findFirst(childrenOf(node), tag);
    if (found) return found;
  }
  return undefined;
}

/** Depth-first, document order: every descendant with this tag (not looking inside matches). */
export function findAll(nodes: XmlNode[], tag: string, into: XmlNode[] = []): XmlNode[] {
  for (const node of nodes) {
    if (tagOf(node) === tag) into.push(node);
    else findAll(childrenOf(node), tag, into);
  }
  return into;
}

/** The concatenated text of every descendant text node. */
export function deepText(nodes: XmlNode[]): string {
  let text = '';
  for (const node of nodes) {
    text += tagOf(node) === '#text' ? textOf(node) : deepText(childrenOf(node));
  }
  return text;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}
