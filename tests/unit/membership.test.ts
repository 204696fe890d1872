import { describe, expect, it } from 'vitest';
import {
  ACCESS_LEVELS,
  accessRank,
  GATED_LEVELS,
  includesLevel,
  isAccessLevel,
  isGated,
  SIGNED_IN_LEVEL,
  TOP_LEVEL,
} from '../../src/gate/membership';
import { PREVIEW_AS } from '../../src/editor/preview-as';

describe('membership levels', () => {
  it('are ordered from open to most restricted', () => {
    expect(ACCESS_LEVELS).toEqual(['public', 'members', 'premium']);
    expect(accessRank('public')).toBeLessThan(accessRank('members'));
    expect(accessRank('members')).toBeLessThan(accessRank('premium'));
  });

  it.each([
    ['public', 'public', true],
    ['public', 'members', false],
    ['public', 'premium', false],
    ['members', 'public', true],
    ['members', 'members', true],
    ['members', 'premium', false],
    ['premium', 'public', true],
    ['premium', 'members', true],
    ['premium', 'premium', true],
  ] as const)('a %s reader %s article → %s', (held, required, expected) => {
    expect(includesLevel(held, required)).toBe(expected);
  });

  it('recognises only the configured levels', () => {
    expect(isAccessLevel('members')).toBe(true);
    for (const value of ['Premium', 'paid', '', ' members', null, undefined, 2, {}]) {
      expect(isAccessLevel(value)).toBe(false);
    }
  });

  it('treats every level but public as gated', () => {
    expect(ACCESS_LEVELS.filter(isGated)).toEqual(['members', 'premium']);
  });

  it('derives the signed-in minimum, the top level and the editor preview choices from the list', () => {
    expect(GATED_LEVELS).toEqual(['members', 'premium']);
    expect(SIGNED_IN_LEVEL).toBe('members');
    expect(TOP_LEVEL).toBe('premium');
    expect(PREVIEW_AS).toEqual(['editor', 'anonymous', ...GATED_LEVELS]);
  });
});
