/**
 * The account page's sentence on where a reader's level comes from, from the viewer's `sources`
 * (src/gate/viewer.ts). Plain TypeScript: no Astro, no Clerk.
 */
import type { TierSource, Viewer } from './viewer';

export interface SourceLine {
  kind: TierSource['kind'];
  text: string;
}

function describe(source: TierSource, viewer: Extract<Viewer, { kind: 'member' }>): string {
  const organization = viewer.organization?.slug ?? viewer.organization?.id ?? 'your organization';
  switch (source.kind) {
    case 'signed-in':
      return 'Your free Gatepost account';
    case 'user-metadata':
      return 'Set on your account by Gatepost';
    case 'billing-plan':
      return source.plan.startsWith('o:')
        ? `The "${source.plan.slice(2)}" plan of your organization ${organization}`
        : `Your "${source.plan.replace(/^u:/, '')}" plan`;
    case 'billing-feature':
      return `Your plan's "${source.feature.replace(/^[uo]:/, '')}" feature`;
    case 'organization-metadata':
      return `Your organization ${organization}`;
  }
}

/** One line per source that grants the reader's level, most specific first (the free account last). */
export function describeSources(viewer: Viewer): SourceLine[] {
  if (viewer.kind !== 'member') return [];
  const lines = viewer.sources.map((source) => ({ kind: source.kind, text: describe(source, viewer) }));
  return [...new Set(lines.map((l) => l.text))]
    .map((text) => lines.find((l) => l.text === text)!)
    .sort((a, b) => Number(a.kind === 'signed-in') - Number(b.kind === 'signed-in'));
}
