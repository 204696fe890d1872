/**
 * Editor routes answer exactly like a missing page to everyone who is not an editor, so they do not
 * reveal that they exist.
 */
import { isEditor } from '../gate/decision';
import type { Viewer } from '../gate/viewer';

export function editorFrom(locals: App.Locals): Viewer | null {
  return isEditor(locals.viewer) ? locals.viewer : null;
}
