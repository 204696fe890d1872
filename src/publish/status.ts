/**
 * What the editor desk says about publishing: the release being served, when the next scheduled
 * article goes live by itself, and how the last automatic publish went. Read from the files the cluster
 * primary writes in the releases folder, whose path it gives its workers (RELEASES_DIR_VARIABLE); a
 * server not started from releases has none of this.
 */
import { readAutoPublish, type AutoPublishState } from './auto-publish';
import { readServing, type ServingState } from './releases';

/** Set by the cluster primary for its workers when it serves from releases (src/server/cluster.ts). */
export const RELEASES_DIR_VARIABLE = 'GATEPOST_RELEASES_DIR';

export interface PublishingStatus {
  serving: ServingState | undefined;
  auto: AutoPublishState | undefined;
}

/** Undefined when this server does not run from releases. */
export function publishingStatus(env: Record<string, string | undefined> = process.env): PublishingStatus | undefined {
  const dir = env[RELEASES_DIR_VARIABLE];
  if (!dir) return undefined;
  return { serving: readServing(dir), auto: readAutoPublish(dir) };
}
