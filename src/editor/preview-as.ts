/**
 * "Preview as" for editors: the same access decision readers get, for a stand-in viewer of each kind.
 */
import { decideAccess, type Decision } from '../gate/decision';
import { ANONYMOUS, type Viewer } from '../gate/viewer';
import { GATED_LEVELS, type AccessLevel, type GatedAccessLevel } from '../gate/membership';

export type PreviewAs = 'editor' | 'anonymous' | GatedAccessLevel;
export const PREVIEW_AS: readonly PreviewAs[] = ['editor', 'anonymous', ...GATED_LEVELS];

export function parsePreviewAs(value: string | null): PreviewAs {
  return (PREVIEW_AS as readonly string[]).includes(value ?? '') ? (value as PreviewAs) : 'editor';
}

function standIn(as: Exclude<PreviewAs, 'editor'>): Viewer {
  if (as === 'anonymous') return ANONYMOUS;
  return { kind: 'member', userId: 'preview', tier: as, roles: [], organization: null, sources: [], editor: false };
}

/** What a reader of that kind would get; the editor's own view always shows everything. */
export function previewDecision(as: PreviewAs, access: AccessLevel): Decision {
  return as === 'editor' ? { allowed: true, required: access } : decideAccess(standIn(as), { access });
}
