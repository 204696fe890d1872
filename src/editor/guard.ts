/**
 * Editor routes answer exactly like a missing page to everyone who is not an editor, so they do not
 * reveal that they exist.
 */
import { isEditor } from '../gate/decision';
import type { Viewer } from '../gate/viewer';
import { viewerFromLocals, type AuthLocals } from '../gate/locals';

export function editorFrom(locals: AuthLocals): Viewer | null {
  const viewer = viewerFromLocals(locals);
  return isEditor(viewer) ? viewer : null;
}
