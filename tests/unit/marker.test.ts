/**
 * The one members-only marker rule (src/articles/marker.ts): where the marker is in the Markdown, and
 * the cut of the HTML Astro's own Markdown processor renders from it. The loader, the editor desk, the
 * preview banner and the content checker must agree on every case, the fenced one included.
 */
import { createSatteriMarkdownProcessor } from '@astrojs/markdown-satteri';
import { describe, expect, it } from 'vitest';
import { findMarker, MEMBERS_ONLY_MARKER, splitRendered, splitSource } from '../../src/articles/marker';
import { checkContent } from '../../src/articles/source/check';
import { toPreviewEntry } from '../../src/articles/loader';
import { parseSourceArticle } from '../../src/editor/source-articles';
import { HAST_PLUGINS, SHIKI_CONFIG } from '../../src/articles/markdown-config';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const processor = createSatteriMarkdownProcessor({
  shikiConfig: SHIKI_CONFIG,
  syntaxHighlight: 'shiki',
  hastPlugins: HAST_PLUGINS,
});
/** HTML as the build renders it (same processor, same plugins). */
const renderHtml = async (markdown: string) => (await (await processor).render(markdown)).code;

const SECRET = 'Only members read this sentence.';
const frontmatter =
  "---\ntitle: 'Fixture'\ndescription: 'A fixture article for the marker tests here.'\npubDate: 2026-01-12\nauthor: 'Ada Example'\naccess: members\n---\n";

/** Every consumer's answer to "does this article have a marker, and what do readers without access get?" */
async function everyone(body: string) {
  const html = await renderHtml(body);
  const loader = toPreviewEntry({ id: 'x', data: { access: 'members' }, body, rendered: { html, metadata: {} } });
  const desk = parseSourceArticle('x.md', `${frontmatter}\n${body}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'marker-'));
  try {
    writeFileSync(path.join(dir, 'x.md'), `${frontmatter}\n${body}`);
    const problems = checkContent(dir, { now: new Date('2026-06-01T00:00:00Z') });
    return {
      rule: findMarker(body).marker !== undefined,
      desk: desk.hasMarker, // what the desk's "Marker" column and the preview banner show
      loader: loader.rendered?.html !== '',
      checkerAccepts: !problems.some((problem) => problem.severity === 'error'),
      problems,
      readersGet: loader.rendered?.html ?? '',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('one marker rule for the loader, the desk, the banner and the checker', () => {
  it.each([
    ['a marker on a line of its own', `Intro.\n\n${MEMBERS_ONLY_MARKER}\n\n${SECRET}\n`, true],
    ['spacing and case forgiven', `Intro.\n\n<!--  MEMBERS-ONLY  -->\n\n${SECRET}\n`, true],
    ['no blank line before it', `Intro.\n${MEMBERS_ONLY_MARKER}\n${SECRET}\n`, true],
    ['only inside a code fence', `Intro.\n\n\`\`\`html\n${MEMBERS_ONLY_MARKER}\n\`\`\`\n\n${SECRET}\n`, false],
    ['only inside a tilde fence', `Intro.\n\n~~~\n${MEMBERS_ONLY_MARKER}\n~~~\n\n${SECRET}\n`, false],
    ['only in an indented code block', `Intro.\n\n    ${MEMBERS_ONLY_MARKER}\n\n${SECRET}\n`, false],
    ['only in inline code', `Intro \`${MEMBERS_ONLY_MARKER}\` here.\n\n${SECRET}\n`, false],
    ['inside a paragraph', `Intro. ${MEMBERS_ONLY_MARKER} ${SECRET}\n`, false],
    ['inside a quote', `Intro.\n\n> ${MEMBERS_ONLY_MARKER}\n\n${SECRET}\n`, false],
    ['mistyped', `Intro.\n\n<!-- members only -->\n\n${SECRET}\n`, false],
    [
      'in an image alt text near the end, with no marker',
      `Intro.\n\n${SECRET}\n\n![${MEMBERS_ONLY_MARKER}](https://example.com/a.png)\n`,
      false,
    ],
    [
      'an example in code before the real one',
      `Write \`${MEMBERS_ONLY_MARKER}\`.\n\n${MEMBERS_ONLY_MARKER}\n\n${SECRET}\n`,
      true,
    ],
    [
      'a heading quoting it in code before the real one',
      `## The \`${MEMBERS_ONLY_MARKER}\` line\n\n${MEMBERS_ONLY_MARKER}\n\n${SECRET}\n`,
      true,
    ],
  ])('%s', async (_case, body, expected) => {
    const answers = await everyone(body);
    expect({
      rule: answers.rule,
      desk: answers.desk,
      loader: answers.loader,
      checkerAccepts: answers.checkerAccepts,
    }).toEqual({
      rule: expected,
      desk: expected,
      loader: expected,
      checkerAccepts: expected,
    });
    expect(answers.readersGet).not.toContain(SECRET);
    // The preview is what precedes the marker, never cut inside an element.
    if (expected) expect(answers.readersGet).toMatch(/<\/(p|h2)>$/);
  });

  it('the checker rejects a gated article whose only marker is in a code fence, with file, line and reason', async () => {
    const { problems } = await everyone(`Intro.\n\n\`\`\`html\n${MEMBERS_ONLY_MARKER}\n\`\`\`\n\n${SECRET}\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'marker-in-code', severity: 'error', line: 12 });
    expect(problems[0]?.file).toMatch(/x\.md$/);
    expect(problems[0]?.message).toMatch(/inside a code block.*does not end the preview.*only the description/);
  });
});

describe('findMarker', () => {
  it('finds the first marker, the extra ones, code examples and near misses, with their lines', () => {
    const body = `\`${MEMBERS_ONLY_MARKER}\`\n\nA\n\n${MEMBERS_ONLY_MARKER}\n\nB\n\n<!-- member-only -->\n\n${MEMBERS_ONLY_MARKER}\n`;
    const scan = findMarker(body);
    expect(scan.marker?.line).toBe(5);
    expect(scan.extra.map((place) => place.line)).toEqual([11]);
    expect(scan.inCode.map((place) => place.line)).toEqual([1]);
    expect(scan.mistyped.map((place) => [place.line, place.text])).toEqual([[9, '<!-- member-only -->']]);
    expect(splitSource(body, scan)).toMatchObject({ hasMarker: true, preview: `\`${MEMBERS_ONLY_MARKER}\`\n\nA` });
  });

  it('takes no marker when marker text in other HTML comes first', () => {
    const scan = findMarker(`<div>\n${MEMBERS_ONLY_MARKER}\n</div>\n\nA\n\n${MEMBERS_ONLY_MARKER}\n`);
    expect(scan.marker).toBeUndefined();
    expect(scan.misplaced.map((place) => place.line)).toEqual([1]);
  });
});

describe('splitRendered', () => {
  it('keeps only what precedes the marker, footnotes and all after it staying behind', async () => {
    const body = `Public opening.[^1]\n\n## Still public\n\n${MEMBERS_ONLY_MARKER}\n\n${SECRET}\n\n[^1]: Secret note.\n`;
    const split = splitRendered(await renderHtml(body), findMarker(body).marker !== undefined);
    expect(split.hasMarker).toBe(true);
    expect(split.preview).toContain('Public opening.');
    expect(split.preview).toContain('Still public');
    expect(split.preview).not.toContain('Secret');
    expect(split.membersOnly).toContain(SECRET);
    expect(split.membersOnly).toContain('Secret note.');
  });

  it('fails closed without a marker: the preview is empty and everything is members-only', () => {
    expect(splitRendered('<p>Everything here is for members.</p>', false)).toEqual({
      hasMarker: false,
      preview: '',
      membersOnly: '<p>Everything here is for members.</p>',
    });
  });

  it('never cuts at marker text inside a tag', async () => {
    const body = `[a link](/x "${MEMBERS_ONLY_MARKER}") first.\n\n${MEMBERS_ONLY_MARKER}\n\n${SECRET}\n`;
    const split = splitRendered(await renderHtml(body), findMarker(body).marker !== undefined);
    expect(split.preview).toContain('first.</p>');
    expect(split.preview).not.toContain(SECRET);
  });

  it('gives an empty preview when the marker opens the article', async () => {
    const body = `${MEMBERS_ONLY_MARKER}\n\n${SECRET}\n`;
    expect(splitRendered(await renderHtml(body), true)).toMatchObject({ hasMarker: true, preview: '' });
  });
});
