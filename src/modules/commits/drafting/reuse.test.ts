import { describe, expect, it } from 'vitest';
import { adaptMessage, closest, reuseThreshold } from './reuse.js';

const approved = {
  requestId: '00000000-0000-4000-8000-000000000001',
  message:
    'fix(parser)!: reject an empty header in Parser.parseHeader\n\nparseHeader returned garbage.\n\nBREAKING CHANGE: parseHeader throws now',
  topNames: ['Parser.parseHeader'],
  vector: [1, 0, 0],
};

describe('reuse', () => {
  it('takes the plan threshold of seed 001 §8', () => {
    expect(reuseThreshold('free')).toBe(0.85);
    expect(reuseThreshold('basic')).toBe(0.85);
    expect(reuseThreshold('premium')).toBe(0.9);
    expect(reuseThreshold(null)).toBe(0.85);
  });

  it('finds the closest approved change at or above the threshold only', () => {
    const other = { ...approved, requestId: 'b', vector: [0.8, 0.6, 0] };
    expect(closest([1, 0, 0], [other, approved], 0.85)?.change.requestId).toBe(approved.requestId);
    expect(closest([0, 1, 0], [other, approved], 0.85)).toBeNull();
    expect(closest([1, 0], [approved], 0)).toBeNull(); // another model's dimensions never match
  });

  it("adapts the approved message to the new change's names, breaking footer included", () => {
    const draft = adaptMessage(approved, ['Parser.parseFooter'], 0.97, 812);
    expect(draft).toMatchObject({
      type: 'fix',
      scope: 'parser',
      subject: 'reject an empty header in Parser.parseFooter',
      body: 'parseFooter returned garbage.',
      breaking: true,
      breakingNote: 'parseFooter throws now',
      origin: 'reuse',
      reuse: { requestId: approved.requestId, similarity: 0.97, savedInputTokens: 812 },
    });
    expect(draft.notes[0]).toContain('parseHeader → parseFooter');
  });
});
