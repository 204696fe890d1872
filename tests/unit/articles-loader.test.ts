import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { exactFilePatterns, mayBeGated, toPreviewEntry } from '../../src/articles/loader';

const entry = {
  id: 'deep-dive',
  data: { access: 'premium' },
  body: 'Intro paragraph.\n\n## Why\n\nStill public.\n\n<!-- members-only -->\n\n## How\n\nThe secret recipe.[^1]\n\n[^1]: A secret note.',
  rendered: {
    html: '<p>Intro paragraph.</p>\n<h2 id="why">Why</h2>\n<p>Still public.</p>\n<!-- members-only -->\n<h2 id="how">How</h2>\n<p>The secret recipe.</p>\n<section class="footnotes"><p>A secret note.</p></section>',
    metadata: {
      headings: [
        { depth: 2, slug: 'why', text: 'Why' },
        { depth: 2, slug: 'how', text: 'How' },
      ],
      imagePaths: [],
    },
  },
};

describe('toPreviewEntry', () => {
  it('cuts the body, the rendered HTML and the headings at the marker', () => {
    const preview = toPreviewEntry(entry);
    expect(preview.body).toBe('Intro paragraph.\n\n## Why\n\nStill public.');
    expect(preview.rendered?.html).toBe('<p>Intro paragraph.</p>\n<h2 id="why">Why</h2>\n<p>Still public.</p>');
    expect(preview.rendered?.metadata?.headings).toEqual([{ depth: 2, slug: 'why', text: 'Why' }]);
    expect(JSON.stringify(preview)).not.toContain('secret');
    expect(preview.id).toBe('deep-dive');
    expect(preview.data).toBe(entry.data);
  });

  it('keeps nothing of the body when the marker is missing (fail closed)', () => {
    const preview = toPreviewEntry({
      ...entry,
      body: 'All secret.',
      rendered: { html: '<p>All secret.</p>', metadata: { headings: [] } },
    });
    expect(preview.body).toBe('');
    expect(preview.rendered?.html).toBe('');
    expect(JSON.stringify(preview)).not.toContain('secret');
  });
});

describe('toPreviewEntry idempotence', () => {
  it('leaves an already-cut entry untouched (cached builds must not cut twice)', () => {
    const once = toPreviewEntry(entry);
    expect(toPreviewEntry(once)).toBe(once);
    expect(once.rendered?.html).toContain('Still public.');
  });
});

describe('mayBeGated (which files the full-text collection renders in a build)', () => {
  it('leaves out only files whose frontmatter certainly says access: public', () => {
    expect(mayBeGated('---\ntitle: A\naccess: public\n---\nBody')).toBe(false);
    expect(mayBeGated('---\r\ntitle: A\r\naccess: "public"\r\n---\r\nBody')).toBe(false);
    expect(mayBeGated("---\naccess: 'public' # free to read\n---\n")).toBe(false);
  });

  it('includes gated, unknown, missing, nested or unreadable access values', () => {
    expect(mayBeGated('---\naccess: members\n---\n')).toBe(true);
    expect(mayBeGated('---\naccess: premium\n---\n')).toBe(true);
    expect(mayBeGated('---\naccess: Public\n---\n')).toBe(true);
    expect(mayBeGated('---\ntitle: no access key\n---\n')).toBe(true);
    expect(mayBeGated('---\nmeta:\n  access: public\naccess: members\n---\n')).toBe(true);
    expect(mayBeGated('---\naccess: [public\n---\n')).toBe(true);
    expect(mayBeGated('no frontmatter at all\naccess: public')).toBe(true);
    expect(mayBeGated('---\n---\n')).toBe(true);
  });
});

describe('exactFilePatterns (the narrowed glob of the full-text collection)', () => {
  it('matches exactly the files listed, whatever their names, in few patterns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatepost-exact-'));
    try {
      mkdirSync(join(dir, 'nested'));
      const odd = ['a,b.md', 'x {y}.md', 'p (q).md', '!bang.md', 'sub dir.md', 'star*.md', 'nested/deep.md'];
      const many = Array.from({ length: 1200 }, (_, i) => `article-${i}.md`);
      const others = ['plain.md', 'b.md', 'nested/other.md', 'article-x.md'];
      for (const file of [...odd, ...many, ...others]) writeFileSync(join(dir, file), '');
      const wanted = [...odd, ...many];
      const patterns = exactFilePatterns(wanted);
      expect(patterns).toHaveLength(3);
      const found = await glob(patterns, { cwd: dir, expandDirectories: false });
      expect(found.sort()).toEqual(wanted.sort());
      expect(await glob(exactFilePatterns(['b.md']), { cwd: dir, expandDirectories: false })).toEqual(['b.md']);
      expect(exactFilePatterns([])).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
