import { describe, expect, it } from 'vitest';
import { findFrontmatter } from '../../src/articles/frontmatter';

describe('findFrontmatter', () => {
  it('finds the YAML and where the body starts', () => {
    const text = '---\ntitle: A\naccess: public\n---\nBody text';
    const block = findFrontmatter(text)!;
    expect(block.yaml).toBe('\ntitle: A\naccess: public\n');
    expect(text.slice(block.yamlOffset, block.yamlOffset + block.yaml.length)).toBe(block.yaml);
    expect(text.slice(block.bodyOffset)).toBe('\nBody text');
  });

  it('accepts what Astro accepts: a byte-order mark, blank lines before the fence, CRLF', () => {
    expect(findFrontmatter('\uFEFF---\naccess: members\n---\n')?.yaml).toBe('\naccess: members\n');
    expect(findFrontmatter('\n\n---\naccess: members\n---\n')?.yaml).toBe('\naccess: members\n');
    expect(findFrontmatter('---\r\naccess: members\r\n---\r\nBody')?.yaml).toBe('\r\naccess: members\r\n');
  });

  it('finds nothing without an opening fence at the top', () => {
    expect(findFrontmatter('Body first\n---\naccess: public\n---\n')).toBeUndefined();
    expect(findFrontmatter('no fences at all')).toBeUndefined();
  });
});
