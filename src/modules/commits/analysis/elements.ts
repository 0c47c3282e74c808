import type Parser from 'web-tree-sitter';
import { type LoadedLanguage, loadLanguage, parseSource } from './grammars.js';
import type { AnalysisLanguage } from './languages.js';
import type { CodeElement, ElementKind } from './scoping.types.js';

/**
 * Code elements (functions, methods, classes, …) of a parsed file, from each language's
 * declaration query: names qualified by their enclosing elements (`Parser.parseHeader`; a Go
 * method by its receiver, `Store.Get`; a C++ definition by its scope, `ns.Widget.draw`).
 */

type Node = Parser.SyntaxNode;

const KINDS = new Set<string>([
  'function',
  'method',
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'impl',
  'module',
  'type',
]);
/** Kinds whose functions are methods. */
const TYPE_KINDS = new Set<ElementKind>(['class', 'interface', 'struct', 'impl', 'trait']);

/** An element with the byte-free positions used to nest elements (indices in UTF-16 units). */
interface Found {
  element: CodeElement;
  start: number;
  end: number;
  /** Scope written in the name (`ns::Widget::draw` → ns, Widget). */
  scope: string[];
  /** Go: the receiver's type, the element's parent though it does not enclose it. */
  receiver?: string;
}

/** Template arguments removed: `Vec<T>::push` → `Vec::push`. */
function withoutTemplates(text: string): string {
  let out = text;
  for (let i = 0; i < 5 && /<[^<>]*>/.test(out); i++) out = out.replace(/<[^<>]*>/g, '');
  return out;
}

/** The name a C/C++ declarator declares, with the scope it is written in. */
function declaratorName(node: Node): { name: string; scope: string[] } | null {
  let n: Node | null = node;
  for (let depth = 0; n && depth < 8; depth++) {
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
      case 'destructor_name':
      case 'operator_name':
      case 'type_identifier':
        return { name: n.text, scope: [] };
      case 'qualified_identifier': {
        const parts = withoutTemplates(n.text)
          .split('::')
          .map((p) => p.trim())
          .filter(Boolean);
        const name = parts.pop();
        return name ? { name, scope: parts } : null;
      }
      default:
        n = n.childForFieldName('declarator') ?? n.namedChild(n.namedChildCount - 1);
    }
  }
  return null;
}

function nameOf(language: LoadedLanguage, nameNode: Node, kind: ElementKind): string {
  if (nameNode.type === 'generic_type') return nameNode.childForFieldName('type')?.text ?? nameNode.text;
  if (nameNode.type === 'scoped_type_identifier')
    return nameNode.childForFieldName('name')?.text ?? nameNode.text;
  if (kind === 'module' && language.name !== 'rust') return nameNode.text.replace(/^['"]|['"]$/g, '');
  return withoutTemplates(nameNode.text).trim();
}

/** Go: `type S struct` is a struct, `type I interface` an interface, any other type spec a type. */
function refineKind(def: Node, kind: ElementKind): ElementKind {
  if (def.type === 'type_spec') {
    const type = def.childForFieldName('type')?.type;
    if (type === 'struct_type') return 'struct';
    if (type === 'interface_type') return 'interface';
  }
  return kind;
}

/** The node whose text is the whole declaration: with its `export`, decorators or template. */
function outerNode(language: LoadedLanguage, def: Node): Node {
  let outer = def;
  for (
    let parent = outer.parent;
    parent && language.spec.wrappers.includes(parent.type);
    parent = parent.parent
  )
    outer = parent;
  // `type ( A struct{}; B int )` declares several types in one statement: keep each spec alone.
  if (
    outer.type === 'type_spec' &&
    outer.parent?.type === 'type_declaration' &&
    outer.parent.namedChildCount === 1
  )
    outer = outer.parent;
  return outer;
}

function receiverOf(def: Node): string | undefined {
  const receiver = def.childForFieldName('receiver')?.text;
  return receiver ? /^\(\s*(?:[A-Za-z_]\w*\s+)?\*?\s*([A-Za-z_]\w*)/.exec(receiver)?.[1] : undefined;
}

/** Elements of `tree`, ordered by position. `lines` are the source's lines (for signatures). */
export function elementsOf(
  language: LoadedLanguage,
  tree: Parser.Tree,
  lines: readonly string[],
  /** Only declarations that intersect these row ranges (0-based, inclusive); all when absent. */
  rows?: ReadonlyArray<readonly [number, number]>,
): CodeElement[] {
  const maxStartDepth = language.spec.maxDepth;
  const matches = rows
    ? rows.flatMap(([start, end]) =>
        language.elements.matches(tree.rootNode, {
          startPosition: { row: start, column: 0 },
          endPosition: { row: end + 1, column: 0 },
          maxStartDepth,
        }),
      )
    : language.elements.matches(tree.rootNode, { maxStartDepth });
  const found: Found[] = [];
  const seen = new Set<number>();
  for (const match of matches) {
    let def: Node | undefined;
    let kind: ElementKind | undefined;
    let nameNode: Node | undefined;
    let declarator: Node | undefined;
    for (const capture of match.captures) {
      if (capture.name === 'name') nameNode = capture.node;
      else if (capture.name === 'declarator') declarator = capture.node;
      else if (KINDS.has(capture.name)) {
        def = capture.node;
        kind = capture.name as ElementKind;
      }
    }
    if (!def || !kind || seen.has(def.id)) continue;
    // C: `typedef struct S {…} T;` is one element, named by the typedef.
    if (
      (def.type === 'struct_specifier' || def.type === 'enum_specifier' || def.type === 'union_specifier') &&
      def.parent?.type === 'type_definition'
    )
      continue;
    seen.add(def.id);
    let name: string;
    let scope: string[] = [];
    let nameRow: number;
    if (declarator) {
      const declared = declaratorName(declarator);
      if (!declared) continue;
      ({ name, scope } = declared);
      nameRow = declarator.startPosition.row;
    } else if (nameNode) {
      name = nameOf(language, nameNode, kind);
      nameRow = nameNode.startPosition.row;
    } else continue;
    if (!name) continue;
    kind = refineKind(def, kind);
    const outer = outerNode(language, def);
    const startLine = outer.startPosition.row + 1;
    const end = outer.endPosition;
    const endLine = Math.max(startLine, end.column === 0 ? end.row : end.row + 1);
    found.push({
      element: {
        kind,
        name,
        qualifiedName: name,
        startLine,
        endLine,
        signature: (lines[nameRow] ?? '').trim().slice(0, 240),
        exported: language.spec.exported(def, name, kind),
      },
      start: outer.startIndex,
      end: outer.endIndex,
      scope,
      receiver: def.type === 'method_declaration' ? receiverOf(def) : undefined,
    });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  // Enclosing elements, with a stack of the ones still open.
  const open: Found[] = [];
  for (const item of found) {
    while (open.length > 0 && (open.at(-1) as Found).end < item.end) open.pop();
    const parent = open.at(-1);
    const el = item.element;
    if (parent) {
      if (el.kind === 'function' && TYPE_KINDS.has(parent.element.kind)) el.kind = 'method';
      el.parent = parent.element.qualifiedName;
      el.exported &&= parent.element.exported;
    }
    if (item.receiver) el.parent = item.receiver;
    if (item.scope.length > 0) el.parent = [el.parent, ...item.scope].filter(Boolean).join('.');
    el.qualifiedName = el.parent ? `${el.parent}.${el.name}` : el.name;
    open.push(item);
  }
  return found.map((f) => f.element);
}

/**
 * The code elements of `source` in `lang`: functions, methods, classes, interfaces, structs,
 * enums, traits, impls, modules and type aliases, with their lines and qualified names.
 *
 * @example
 * await extractElements('python', 'class Parser:\n    def parse_header(self, text):\n        return text\n');
 * // [{ kind: 'class', name: 'Parser', … }, { kind: 'method', qualifiedName: 'Parser.parse_header', … }]
 */
export async function extractElements(lang: AnalysisLanguage, source: string): Promise<CodeElement[]> {
  const language = await loadLanguage(lang);
  const tree = parseSource(language, source);
  if (!tree) return [];
  try {
    return elementsOf(language, tree, source.split('\n'));
  } finally {
    tree.delete();
  }
}
