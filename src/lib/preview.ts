/**
 * The public preview of a gated article ends at the members-only marker, an HTML comment editors put
 * on a line of its own in the Markdown body:
 *
 *     <!-- members-only -->
 *
 * Markdown keeps HTML comments in the rendered HTML, so the split works on rendered HTML (as Ghost's
 * content gating does) and footnotes, tables and code blocks after the marker all stay behind it.
 *
 * Fail closed: an article without the marker has no public preview beyond its description, and anything
 * that looks like a mistyped marker counts as no marker.
 */

/** The exact marker, as written in Markdown. */
export const MEMBERS_ONLY_MARKER = '<!-- members-only -->';

/** Tolerates whitespace and letter case inside the comment, nothing else. */
export const MARKER_PATTERN = /<!--\s*members-only\s*-->/i;

export interface PreviewSplit {
  /** True when the marker was found. */
  hasMarker: boolean;
  /** Everything before the first marker (empty when there is none: fail closed). */
  preview: string;
  /** Everything after the first marker, or the whole body when there is no marker. */
  membersOnly: string;
}

/** Split rendered HTML (or Markdown source) at the first members-only marker. */
export function splitAtMarker(body: string): PreviewSplit {
  const match = MARKER_PATTERN.exec(body);
  if (!match) {
    return { hasMarker: false, preview: '', membersOnly: body };
  }
  return {
    hasMarker: true,
    preview: body.slice(0, match.index).trimEnd(),
    membersOnly: body.slice(match.index + match[0].length).trimStart(),
  };
}

export function hasMarker(body: string): boolean {
  return MARKER_PATTERN.test(body);
}
