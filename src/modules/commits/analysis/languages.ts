import type Parser from 'web-tree-sitter';
import { type CodeLanguage, languageOf } from '../../../shared/llm/index.js';
import type { ElementKind } from './scoping.types.js';

/**
 * The languages whose code elements Keel extracts, and per language: the tree-sitter queries
 * that find declarations (`@name` plus a capture named after the element kind) and calls
 * (`@callee`), the node types of conditions and early exits (for "a guard was added"), and how a
 * declaration says it is public. Other files fall back to hunk-level analysis.
 */

export const ANALYSIS_LANGUAGES = [
  'typescript',
  'tsx',
  'javascript',
  'python',
  'go',
  'java',
  'rust',
  'c',
  'cpp',
] as const satisfies readonly CodeLanguage[];

export type AnalysisLanguage = (typeof ANALYSIS_LANGUAGES)[number];

/** The analysis language of a file from its name (`.ts` → typescript, `.h` → c), or null. */
export function analysisLanguageOf(path: string): AnalysisLanguage | null {
  const language = languageOf(path);
  return language && (ANALYSIS_LANGUAGES as readonly string[]).includes(language)
    ? (language as AnalysisLanguage)
    : null;
}

type Node = Parser.SyntaxNode;

export interface LanguageSpec {
  /** Declarations: `@name` (or `@declarator` for C/C++) and one capture named after the kind. */
  elements: string;
  /** Called names: `@callee`. */
  calls: string;
  /** Conditional statements (a new one with an exit inside is a guard). */
  conditions: readonly string[];
  /** Statements that leave a function or loop early. */
  exits: readonly string[];
  /**
   * How deep (below the root) a declaration may start. Deeper ones (closures inside function
   * bodies) are not elements; the limit also keeps the query from walking every statement.
   */
  maxDepth: number;
  /** Whether a declaration is visible outside its file/package, before its parents are considered. */
  exported(node: Node, name: string, kind: ElementKind): boolean;
  /** Wrappers that belong to a declaration's text (export, decorators, templates). */
  wrappers: readonly string[];
}

const TS_ELEMENTS = `
(function_declaration name: (identifier) @name) @function
(generator_function_declaration name: (identifier) @name) @function
(class_declaration name: (type_identifier) @name) @class
(abstract_class_declaration name: (type_identifier) @name) @class
(interface_declaration name: (type_identifier) @name) @interface
(enum_declaration name: (identifier) @name) @enum
(type_alias_declaration name: (type_identifier) @name) @type
(internal_module name: (_) @name) @module
(module name: (_) @name) @module
(method_definition name: (_) @name) @method
(abstract_method_signature name: (_) @name) @method
(public_field_definition name: (_) @name value: [(arrow_function) (function_expression)]) @method
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @function
`;

const JS_ELEMENTS = `
(function_declaration name: (identifier) @name) @function
(generator_function_declaration name: (identifier) @name) @function
(class_declaration name: (identifier) @name) @class
(method_definition name: (_) @name) @method
(field_definition property: (_) @name value: [(arrow_function) (function_expression)]) @method
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @function
`;

const JS_CALLS = `
(call_expression function: [(identifier) @callee (member_expression property: (property_identifier) @callee)])
(new_expression constructor: [(identifier) @callee (member_expression property: (property_identifier) @callee)])
`;

const C_ELEMENTS = `
(function_definition declarator: (_) @declarator) @function
(struct_specifier name: (type_identifier) @name body: (field_declaration_list)) @struct
(union_specifier name: (type_identifier) @name body: (field_declaration_list)) @struct
(enum_specifier name: (type_identifier) @name body: (enumerator_list)) @enum
(type_definition type: [(struct_specifier body: (_)) (union_specifier body: (_))] declarator: (type_identifier) @name) @struct
(type_definition type: (enum_specifier body: (_)) declarator: (type_identifier) @name) @enum
`;

const CPP_ELEMENTS = `${C_ELEMENTS}
(class_specifier name: (_) @name body: (field_declaration_list)) @class
(namespace_definition name: (_) @name) @module
`;

const C_CALLS = `
(call_expression function: [(identifier) @callee (field_expression field: (field_identifier) @callee)])
`;

const CPP_CALLS = `
(call_expression function: [(identifier) @callee (field_expression field: (field_identifier) @callee) (qualified_identifier name: (identifier) @callee)])
`;

const hasChild = (node: Node, type: string, text?: string) =>
  node.children.some((c) => c.type === type && (text === undefined || c.text.includes(text)));

function jsExported(node: Node, name: string, kind: ElementKind): boolean {
  if (kind === 'method') return !name.startsWith('#') && !hasChild(node, 'accessibility_modifier', 'private');
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.type === 'export_statement') return true;
    if (n.type === 'program' || n.type === 'statement_block' || n.type === 'class_body') return false;
  }
  return false;
}

function cExported(node: Node): boolean {
  // `static` at file level keeps a C/C++ function or variable private to its file.
  return !node.children.some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
}

const TS_SPEC: LanguageSpec = {
  elements: TS_ELEMENTS,
  calls: JS_CALLS,
  conditions: ['if_statement'],
  exits: ['return_statement', 'throw_statement', 'break_statement', 'continue_statement'],
  maxDepth: 6,
  exported: jsExported,
  wrappers: ['export_statement', 'ambient_declaration', 'lexical_declaration', 'variable_declaration'],
};

export const LANGUAGE_SPECS: Record<AnalysisLanguage, LanguageSpec> = {
  typescript: TS_SPEC,
  tsx: TS_SPEC,
  javascript: { ...TS_SPEC, elements: JS_ELEMENTS },
  python: {
    elements: `
(function_definition name: (identifier) @name) @function
(class_definition name: (identifier) @name) @class
`,
    calls: '(call function: [(identifier) @callee (attribute attribute: (identifier) @callee)])',
    conditions: ['if_statement'],
    exits: ['return_statement', 'raise_statement', 'break_statement', 'continue_statement'],
    maxDepth: 6,
    exported: (_node, name) => !name.startsWith('_') || /^__\w+__$/.test(name),
    wrappers: ['decorated_definition'],
  },
  go: {
    elements: `
(function_declaration name: (identifier) @name) @function
(method_declaration name: (field_identifier) @name) @method
(type_spec name: (type_identifier) @name) @type
(type_alias name: (type_identifier) @name) @type
`,
    calls:
      '(call_expression function: [(identifier) @callee (selector_expression field: (field_identifier) @callee)])',
    conditions: ['if_statement'],
    exits: ['return_statement', 'break_statement', 'continue_statement', 'goto_statement'],
    maxDepth: 3,
    exported: (_node, name) => /^[A-Z]/.test(name),
    wrappers: [],
  },
  java: {
    elements: `
(class_declaration name: (identifier) @name) @class
(record_declaration name: (identifier) @name) @class
(interface_declaration name: (identifier) @name) @interface
(annotation_type_declaration name: (identifier) @name) @interface
(enum_declaration name: (identifier) @name) @enum
(method_declaration name: (identifier) @name) @method
(constructor_declaration name: (identifier) @name) @method
`,
    calls: `
(method_invocation name: (identifier) @callee)
(object_creation_expression type: (type_identifier) @callee)
`,
    conditions: ['if_statement'],
    exits: ['return_statement', 'throw_statement', 'break_statement', 'continue_statement'],
    maxDepth: 8,
    exported: (node) => {
      const modifiers = node.children.find((c) => c.type === 'modifiers')?.text ?? '';
      if (/\b(public|protected)\b/.test(modifiers)) return true;
      // Interface members are public without saying so.
      return node.parent?.parent?.type === 'interface_declaration' && !/\bprivate\b/.test(modifiers);
    },
    wrappers: [],
  },
  rust: {
    elements: `
(function_item name: (identifier) @name) @function
(function_signature_item name: (identifier) @name) @function
(struct_item name: (type_identifier) @name) @struct
(union_item name: (type_identifier) @name) @struct
(enum_item name: (type_identifier) @name) @enum
(trait_item name: (type_identifier) @name) @trait
(impl_item type: (_) @name) @impl
(mod_item name: (identifier) @name body: (declaration_list)) @module
(type_item name: (type_identifier) @name) @type
(macro_definition name: (identifier) @name) @function
`,
    calls: `
(call_expression function: [(identifier) @callee (scoped_identifier name: (identifier) @callee) (field_expression field: (field_identifier) @callee)])
`,
    conditions: ['if_expression'],
    exits: ['return_expression', 'break_expression', 'continue_expression'],
    maxDepth: 6,
    exported: (node, _name, kind) =>
      hasChild(node, 'visibility_modifier') ||
      kind === 'impl' ||
      // A trait's items, and a trait impl's, are as public as the trait.
      node.parent?.parent?.type === 'trait_item' ||
      Boolean(node.parent?.parent?.type === 'impl_item' && node.parent.parent.childForFieldName('trait')),
    wrappers: [],
  },
  c: {
    elements: C_ELEMENTS,
    calls: C_CALLS,
    conditions: ['if_statement'],
    exits: ['return_statement', 'break_statement', 'continue_statement', 'goto_statement'],
    maxDepth: 4,
    exported: cExported,
    wrappers: [],
  },
  cpp: {
    elements: CPP_ELEMENTS,
    calls: CPP_CALLS,
    conditions: ['if_statement'],
    exits: ['return_statement', 'break_statement', 'continue_statement', 'goto_statement', 'throw_statement'],
    maxDepth: 8,
    exported: cExported,
    wrappers: ['template_declaration'],
  },
};
