/**
 * "Back to the article" on the pricing page. The server renders a plain link to the article with the
 * refresh marker (src/site/upgrade.ts), which works without JavaScript. For a signed-in browser
 * (`client:session`) a click first asks Clerk for a fresh session token, then opens the article
 * without the marker: the server sees the reader's current claims on that very load.
 */
import { useCallback, useState, type MouseEvent } from 'react';
import { SessionRefresh } from '../../clerk/SessionRefresh';

interface Props {
  /** The article with the refresh marker (followed as is when the refresh cannot happen here). */
  href: string;
  /** The article itself. */
  article: string;
  className?: string;
}

export default function BackToArticle({ href, article, className }: Props) {
  const [busy, setBusy] = useState(false);
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    // New tab, download and the like: leave them to the browser (the marker does the refresh there).
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setBusy(true);
  };
  const open = useCallback((fresh: boolean) => window.location.assign(fresh ? article : href), [article, href]);
  return (
    <a href={href} className={className} onClick={onClick} aria-busy={busy} data-back-to-article>
      {busy ? 'Opening the article…' : '← Back to the article'}
      {/* Clerk is loaded only now, on the click. */}
      {busy && <SessionRefresh onDone={open} />}
    </a>
  );
}
