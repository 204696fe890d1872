/**
 * Editor routes answer exactly like a missing page to everyone who is not an editor, so they do not
 * reveal that they exist.
 */
import { isEditor } from '../access/decision';
import type { Viewer } from '../access/viewer';
import { viewerFromLocals, type AuthLocals } from '../auth/locals';

export function editorFrom(locals: AuthLocals): Viewer | null {
  const viewer = viewerFromLocals(locals);
  return isEditor(viewer) ? viewer : null;
}
