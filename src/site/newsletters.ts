/**
 * The site's newsletters, declared once (docs/newsletters.md). Members subscribe to each one on their
 * account page; those marked `subscribeOnSignup` are subscribed when a member joins. The slug names the
 * newsletter in the store, in unsubscribe links and in an article's `newsletter:` frontmatter, so a
 * published slug is never renamed.
 */
export interface Newsletter {
  /** Lowercase letters, digits and dashes. */
  slug: string;
  name: string;
  description: string;
  /** The From header: the sender's name and an address the SMTP provider is allowed to send for. */
  sender: { name: string; address: string };
  /** New members are subscribed when they join. */
  subscribeOnSignup: boolean;
}

export const NEWSLETTERS: readonly Newsletter[] = [
  {
    slug: 'gatepost-weekly',
    name: 'Gatepost Weekly',
    description: 'Each new article in your inbox, as much of it as your membership includes.',
    sender: { name: 'Gatepost', address: 'newsletter@gatepost.example' },
    subscribeOnSignup: true,
  },
];

/** The newsletter with this slug, or undefined. */
export function findNewsletter(slug: string | null | undefined): Newsletter | undefined {
  return NEWSLETTERS.find((n) => n.slug === slug);
}
