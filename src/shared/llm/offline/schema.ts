/**
 * The part of JSON Schema the offline tasks read. (The SDK's `JSONSchema7` comes from
 * @types/json-schema, which Keel does not install, so it reads as `any`; schemas are narrowed
 * to this shape instead.)
 */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  enum?: unknown[];
  description?: string;
  format?: string;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON Schema value as a `SchemaNode` (`true`/`false` and non-objects become `{}`). */
export function asSchema(value: unknown): SchemaNode {
  if (!isObject(value)) return {};
  const node: SchemaNode = {};
  if (typeof value.type === 'string') node.type = value.type;
  else if (Array.isArray(value.type))
    node.type = value.type.filter((t): t is string => typeof t === 'string');
  if (isObject(value.properties))
    node.properties = Object.fromEntries(Object.entries(value.properties).map(([k, v]) => [k, asSchema(v)]));
  if (Array.isArray(value.required))
    node.required = value.required.filter((r): r is string => typeof r === 'string');
  if (Array.isArray(value.enum)) node.enum = value.enum;
  if (typeof value.description === 'string') node.description = value.description;
  if (typeof value.format === 'string') node.format = value.format;
  if (Array.isArray(value.anyOf)) node.anyOf = value.anyOf.map(asSchema);
  if (Array.isArray(value.oneOf)) node.oneOf = value.oneOf.map(asSchema);
  return node;
}

/** Every type a node allows, through `anyOf`/`oneOf` and a `null` in `enum`. */
export function typesOf(node: SchemaNode): Set<string> {
  const types = new Set<string>();
  const add = (t: SchemaNode['type']) => {
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) for (const x of t) types.add(x);
  };
  add(node.type);
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) add(branch.type);
  if (node.enum?.includes(null)) types.add('null');
  return types;
}

/** The first non-null type a node allows. */
export function mainType(node: SchemaNode): string | undefined {
  return [...typesOf(node)].find((t) => t !== 'null');
}
