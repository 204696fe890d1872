/** An article file as the rules of `npm run check:content` see it, and the checker's options. */
import type { Document } from 'yaml';
import type { AccessLevel } from '../../../gate/membership';
import type { MarkerScan } from '../../marker';
import type { MarkdownScan } from '../markdown';
import type { ArticleSource } from '../reader';

export interface CheckOptions {
  /** "Now" for scheduled (future-dated) articles; defaults to the current time. */
  now?: Date;
  /** Folder that serves absolute image paths such as `/img/a.png` (the site's `public/`); unchecked if unset. */
  publicDir?: string;
}

/** An article file as the rules see it. */
export interface CheckedArticle {
  source: ArticleSource;
  rel: string;
  /** The article file: the checked directory joined with `rel`. */
  file: string;
  slug: string;
  lines: ArticleSource['lines'];
  /** Offset of the frontmatter text (after the opening `---`) in the file, when there is frontmatter. */
  frontmatterOffset?: number;
  /** The parsed YAML document, when it parsed. */
  doc?: Document;
  /** The first YAML error (offset within the frontmatter text), when it did not. */
  yamlError?: { offset: number; message: string };
  /** The raw frontmatter values, when they parsed to a mapping. */
  data?: Record<string, unknown>;
  access?: AccessLevel;
  draft: boolean;
  pubDate?: Date;
  scan: MarkdownScan;
  markers: MarkerScan;
}
