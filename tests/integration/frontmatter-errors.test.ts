/**
 * Bad frontmatter must fail the build and say which file, which field and why. This builds a scratch
 * copy of the project with one broken article added.
 */
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths';
import { buildProject, scratchCopy } from '../support/scratch';
import { ARTICLES_DIR } from '../../src/articles/folder';

let scratch: string;

beforeAll(() => {
  scratch = scratchCopy('gatepost-frontmatter-');
  // A real image, so a cover test fails for the reason it names and not for a missing file.
  cpSync(
    join(ROOT, 'tests/fixtures/content-check/valid/images/chart.png'),
    join(scratch, ARTICLES_DIR, 'images/test-cover.png'),
  );
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function buildWith(file: string, frontmatter: string) {
  const path = join(scratch, ARTICLES_DIR, file);
  writeFileSync(path, `---\n${frontmatter}\n---\n\nBody text.\n`);
  const result = buildProject(scratch);
  rmSync(path);
  return result;
}

describe('a build with invalid frontmatter', () => {
  it('fails naming the file, each field and the reason', () => {
    const { status, output } = buildWith(
      'broken-access.md',
      [
        'title: "A broken article"',
        'description: "This article has an unknown access level and a badly written tag."',
        'pubDate: 2026-03-01',
        'author: "Test Author"',
        'tags: [Web Performance]',
        'access: paid',
      ].join('\n'),
    );
    expect(status).not.toBe(0);
    expect(output).toContain('src/content/articles/broken-access.md');
    expect(output).toContain('access: access must be one of: public, members, premium');
    expect(output).toMatch(/tags\.0: each tag must be lowercase words joined by hyphens/);
  });

  it('fails when the access level is missing instead of publishing openly', () => {
    const { status, output } = buildWith(
      'no-access.md',
      [
        'title: "Forgot the access level"',
        'description: "An editor forgot to say who may read this article."',
        'pubDate: 2026-03-01',
        'author: "Test Author"',
      ].join('\n'),
    );
    expect(status).not.toBe(0);
    expect(output).toContain('src/content/articles/no-access.md');
    expect(output).toContain('access: access must be one of');
  });

  it('fails on a cover image without alt text', () => {
    const { status, output } = buildWith(
      'no-alt.md',
      [
        'title: "Cover without alt"',
        'description: "A cover image must always come with a description."',
        'pubDate: 2026-03-01',
        'author: "Test Author"',
        'access: public',
        'cover:',
        '  src: ./images/test-cover.png',
      ].join('\n'),
    );
    expect(status).not.toBe(0);
    expect(output).toContain('no-alt.md');
    expect(output).toMatch(/cover\.alt/);
    expect(output).not.toMatch(/does not exist|Could not find requested image/);
  });
});
