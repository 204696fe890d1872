/**
 * The members-only marker: where the public preview of a gated article ends. Editors put it on a line
 * of its own in the Markdown body, with blank lines around it:
 *
 *     <!-- members-only -->
 *
 * `findMarker` is the one rule for where it is. The content loader, the editor desk, the preview banner
 * and `npm run check:content` all call it, on the Markdown parsed by the site's own renderer, so they
 * cannot disagree. Fail closed: marker text in code, inside a paragraph, list, quote or other HTML, or a
 * mistyped marker, is no marker, and an article without one has no public preview beyond its description.
 */
import { scanMarkdown, type MarkdownScan, type Place } from './source/markdown';

/** The exact marker, as written in Markdown. */
export const MEMBERS_ONLY_MARKER = '<!-- members-only -->';

/** Marker text: tolerates whitespace and letter case inside the comment, nothing else. */
/** Metadata key the loader stores: whether the article has a members-only marker (read by the desk and search). */
export const MARKER_FLAG = 'gatepostMarker';

export const MARKER_PATTERN = /<!--\s*members-only\s*-->/i;
const WHOLE_MARKER = new RegExp(`^${MARKER_PATTERN.source}$`, 'i');
/** A rendered top-level marker is a line of its own in the HTML (attributes never are: they sit in a tag). */
const RENDERED_MARKER = new RegExp(
  String.raw`^[ 	]*${MARKER_PATTERN.source}[ 	
]*$`,
  'im',
);

export interface MarkerScan {
  /** The marker that ends the preview, or undefined (then readers without access get no body at all). */
  marker: Place | undefined;
  /** Markers after the first marker text: they end nothing. */
  extra: Place[];
  /** Marker text in raw HTML that is not a block of its own (inside a paragraph, list, quote or HTML). */
  misplaced: Place[];
  /** Marker text inside code, which readers see as text. */
  inCode: Place[];
  /** HTML comments that look like the marker but are not, e.g. `<!-- members only -->`. */
  mistyped: (Place & { text: string })[];
}

/**
 * Where the marker is in an article's Markdown body. The marker is the first raw HTML holding marker
 * text, provided it is a block of its own directly in the document; anything before it holding marker
 * text (or the first one being misplaced) leaves the article without a marker.
 */
export function findMarker(body: string | MarkdownScan): MarkerScan {
  const scan = typeof body === 'string' ? scanMarkdown(body) : body;
  const result: MarkerScan = { marker: undefined, extra: [], misplaced: [], inCode: [], mistyped: [] };
  let seenMarkerText = false;
  for (const { value, topLevel, ...place } of scan.html) {
    for (const comment of value.matchAll(/<!--([\s\S]*?)-->/g)) {
      const words = (comment[1] ?? '').toLowerCase().replace(/[^a-z]/g, '');
      if (/^members?only$/.test(words) && !MARKER_PATTERN.test(comment[0])) {
        const before = value.slice(0, comment.index);
        const line = place.line + (before.match(/\n/g)?.length ?? 0);
        result.mistyped.push({
          start: place.start + comment.index,
          end: place.start + comment.index,
          line,
          text: comment[0],
        });
      }
    }
    if (!MARKER_PATTERN.test(value)) continue;
    const real = topLevel && WHOLE_MARKER.test(value.trim());
    if (!real) result.misplaced.push(place);
    else if (!seenMarkerText) result.marker = place;
    else result.extra.push(place);
    seenMarkerText = true;
  }
  for (const code of scan.code) {
    const match = MARKER_PATTERN.exec(code.value);
    if (!match) continue;
    const line = code.valueLine + (code.value.slice(0, match.index).match(/\n/g)?.length ?? 0);
    result.inCode.push({ start: code.start, end: code.end, line });
  }
  return result;
}

export interface PreviewSplit {
  /** True when the article has a marker. */
  hasMarker: boolean;
  /** Everything before the marker (empty when there is none: fail closed). */
  preview: string;
  /** Everything after the marker, or the whole text when there is none. */
  membersOnly: string;
}

const noMarker = (text: string): PreviewSplit => ({ hasMarker: false, preview: '', membersOnly: text });

/** Split an article's Markdown body at its marker. */
export function splitSource(body: string, scan: MarkerScan = findMarker(body)): PreviewSplit {
  if (!scan.marker) return noMarker(body);
  return {
    hasMarker: true,
    preview: body.slice(0, scan.marker.start).trimEnd(),
    membersOnly: body.slice(scan.marker.end).trimStart(),
  };
}

/**
 * Split the rendered HTML of an article at the marker its Markdown has (`hasMarker`: what `findMarker`
 * said). The renderer copies the marker block verbatim onto a line of its own, and nothing before it
 * holds marker text (else `findMarker` found none), so the first such line is that marker. Without one
 * in the Markdown: no preview at all.
 */
export function splitRendered(html: string, hasMarker: boolean): PreviewSplit {
  const match = hasMarker ? RENDERED_MARKER.exec(html) : null;
  if (!match) return noMarker(html);
  return {
    hasMarker: true,
    preview: html.slice(0, match.index).trimEnd(),
    membersOnly: html.slice(match.index + match[0].length).trimStart(),
  };
}
