/**
 * Markdown plugin: every heading gets an id and a "#" link to itself, so readers can share a link to a
 * section. Runs in Astro's Markdown processor (Sätteri) at build time and in editor previews.
 *
 * It sets the same ids Astro would (github-slugger on the heading text), before Astro's own heading-id
 * step, which keeps ids that are already there. The link has no text (CSS draws the "#"), so headings'
 * text, and therefore their ids and the table of contents, are unchanged.
 *
 * Hyphenated words in a heading's own text are kept whole (src/site/headline.ts), so a heading never
 * breaks at a hyphen; the text stays the same.
 */
import Slugger from 'github-slugger';
import type { HastPluginDefinition } from 'satteri';
import { headlineRuns, KEEP_WHOLE_CLASS } from '../site/headline';

export function headingAnchors(): HastPluginDefinition {
  const slugger = new Slugger();
  return {
    name: 'gatepost-heading-anchors',
    element: {
      filter: ['h2', 'h3', 'h4', 'h5', 'h6'],
      visit(node, ctx) {
        const text = ctx.textContent(node);
        const existing = node.properties?.id;
        const id = typeof existing === 'string' ? existing : slugger.slug(text);
        if (typeof existing !== 'string') ctx.setProperty(node, 'id', id);
        for (const child of node.children) {
          if (child.type !== 'text') continue;
          const runs = headlineRuns(child.value);
          if (!runs.some((run) => run.whole)) continue;
          ctx.replaceNode(
            child,
            runs.map((run) =>
              run.whole
                ? {
                    type: 'element',
                    tagName: 'span',
                    properties: { className: [KEEP_WHOLE_CLASS] },
                    children: [{ type: 'text', value: run.text }],
                  }
                : { type: 'text', value: run.text },
            ),
          );
        }
        ctx.appendChild(node, {
          type: 'element',
          tagName: 'a',
          properties: { href: `#${id}`, className: ['heading-anchor'], ariaLabel: `Link to the section “${text}”` },
          children: [],
        });
      },
    },
  };
}
