/**
 * The account page's Copy button for the private feed address, with the line that says what happened
 * (an island: inline scripts on server-rendered pages are not in the Content-Security-Policy's hashes).
 * Where the clipboard cannot be written, the address field is selected for the reader to copy.
 */
import { useState } from 'react';

interface Props {
  url: string;
  /** The id of the field holding the address. */
  fieldId: string;
  /** What the status line says before any click (e.g. after a reset). */
  initialStatus: string;
  className?: string;
}

export default function CopyFeedUrl({ url, fieldId, initialStatus, className }: Props) {
  const [status, setStatus] = useState(initialStatus);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setStatus('Copied.');
    } catch {
      (document.getElementById(fieldId) as HTMLInputElement | null)?.select();
      setStatus('Press Ctrl+C (or ⌘C) to copy the selected address.');
    }
  };
  return (
    <>
      <button type="button" className={className} onClick={() => void copy()} data-copy-feed>
        Copy
      </button>
      <p className="order-last basis-full text-sm" role="status" data-copy-status>
        {status}
      </p>
    </>
  );
}
