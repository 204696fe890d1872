import { fileURLToPath } from 'node:url';
import { ARTICLES_DIR } from '../../src/articles/folder.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = `${ROOT}dist/`;
export const ARTICLES_SRC = `${ROOT}${ARTICLES_DIR}/`;
