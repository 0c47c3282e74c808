import { describe, expect, it } from 'vitest';
import { shapeForSchema } from './json-output.js';

describe('shapeForSchema', () => {
  const values = { type: 'feat', scope: null, subject: 'add x', body: '- a\n- b', breaking: false, extra: 1 };

  it('keeps only the properties the schema declares', () => {
    expect(
      shapeForSchema(values, {
        type: 'object',
        properties: { type: { type: 'string' }, subject: { type: 'string' } },
      }),
    ).toEqual({
      type: 'feat',
      subject: 'add x',
    });
  });

  it('keeps null only where the schema allows it', () => {
    expect(shapeForSchema(values, { properties: { scope: { type: ['string', 'null'] } } })).toEqual({
      scope: null,
    });
    expect(
      shapeForSchema(values, { properties: { scope: { anyOf: [{ type: 'string' }, { type: 'null' }] } } }),
    ).toEqual({
      scope: null,
    });
    expect(shapeForSchema(values, { properties: { scope: { type: 'string' } } })).toEqual({});
  });

  it('converts between plain shapes: lines ↔ list, boolean → string', () => {
    expect(
      shapeForSchema(values, { properties: { body: { type: 'array', items: { type: 'string' } } } }),
    ).toEqual({
      body: ['- a', '- b'],
    });
    expect(shapeForSchema(values, { properties: { breaking: { type: 'string' } } })).toEqual({
      breaking: 'false',
    });
  });

  it('returns every defined value without a schema', () => {
    expect(shapeForSchema({ a: 1, b: undefined })).toEqual({ a: 1 });
  });
});
