import type { JSONObject, JSONValue } from '@ai-sdk/provider';
import { asSchema, type SchemaNode, typesOf } from './schema.js';

/**
 * Shapes a task's result for a JSON response format: only the properties the schema declares
 * (all of them when it declares none), each coerced to the schema's type where that is plain
 * (a string list joined, a boolean from a note). A value the task does not have is left out
 * rather than invented; `null` only where the schema allows it.
 */
export function shapeForSchema(values: Record<string, JSONValue | undefined>, schema?: unknown): JSONObject {
  const properties = asSchema(schema).properties;
  if (!properties || Object.keys(properties).length === 0) {
    const out: JSONObject = {};
    for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
    return out;
  }
  const out: JSONObject = {};
  for (const [key, definition] of Object.entries(properties)) {
    if (!(key in values)) continue;
    const value = coerce(values[key], definition);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function coerce(value: JSONValue | undefined, definition: SchemaNode): JSONValue | undefined {
  const types = typesOf(definition);
  if (value === undefined) return undefined;
  if (value === null) return types.size === 0 || types.has('null') ? null : undefined;
  if (types.size === 0) return value;
  if (typeof value === 'string' && types.has('string')) return value;
  if (typeof value === 'number' && (types.has('number') || (types.has('integer') && Number.isInteger(value))))
    return value;
  if (typeof value === 'boolean' && types.has('boolean')) return value;
  if (Array.isArray(value) && types.has('array')) return value;
  if (typeof value === 'object' && !Array.isArray(value) && types.has('object')) return value;
  // Plain conversions between the shapes a task produces and the ones a schema may ask for.
  if (types.has('string')) {
    if (Array.isArray(value))
      return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  }
  if (types.has('array') && typeof value === 'string')
    return value.split('\n').filter((line) => line.trim() !== '');
  if (types.has('boolean') && typeof value === 'string') return value.length > 0;
  return undefined;
}
