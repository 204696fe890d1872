/**
 * The account page's lines on where a reader's access comes from, from the viewer's `sources`
 * (src/gate/viewer.ts). Plain TypeScript: no Astro, no Clerk.
 */
import type { TierSource, Viewer } from './viewer';

export interface SourceLine {
  kind: TierSource['kind'];
  text: string;
}

/** A plan's slug as readers see it ("premium" → "Premium", "team_plus" → "Team plus"). */
function planName(slug: string): string {
  const words = slug
    .replace(/^[uo]:/, '')
    .replace(/[_-]+/g, ' ')
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function describe(source: TierSource, organization: string): string {
  switch (source.kind) {
    case 'signed-in':
      return 'Your free account';
    case 'user-metadata':
      return 'Access given to you by our team';
    case 'billing-plan':
      return source.plan.startsWith('o:')
        ? `The ${planName(source.plan)} plan of ${organization}`
        : `Your ${planName(source.plan)} subscription`;
    case 'billing-feature':
      return source.feature.startsWith('o:') ? `The plan of ${organization}` : 'Your subscription';
    case 'organization-metadata':
      return `Your membership of ${organization}`;
  }
}

/**
 * One line per source that grants the reader's level, most specific first (the free account last), in
 * words for readers. `organizationName` is the active organization's name when the page knows it (session
 * tokens carry only its id and slug); without it the line says "your organization", never the slug.
 */
export function describeSources(viewer: Viewer, organizationName?: string | null): SourceLine[] {
  if (viewer.kind !== 'member') return [];
  const organization = organizationName?.trim() || 'your organization';
  const lines = viewer.sources.map((source) => ({ kind: source.kind, text: describe(source, organization) }));
  return [...new Set(lines.map((l) => l.text))]
    .map((text) => lines.find((l) => l.text === text)!)
    .sort((a, b) => Number(a.kind === 'signed-in') - Number(b.kind === 'signed-in'));
}
