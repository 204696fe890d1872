/**
 * What the desk shows about newsletters: each article's sends with their state, and one line when email
 * is off on this server or the store cannot be read (the desk itself still works).
 */
import { listSends, type SendSummary } from '../members/queries/newsletters';
import { isStoreUnavailable, type MembersStore } from '../members/store';
import { demoMailUrl, sendingOff } from './server';

export interface DeskSends {
  /** Sends by article slug. */
  byArticle: Map<string, SendSummary[]>;
  sendingOff: string | null;
  /** The demo's caught-mail page, when this is the demo. */
  demoMailUrl: string | null;
  notice: { kind: 'off' | 'unavailable'; text: string } | null;
}

export async function loadDeskSends(store: MembersStore | undefined): Promise<DeskSends> {
  const byArticle = new Map<string, SendSummary[]>();
  let notice: DeskSends['notice'] = sendingOff ? { kind: 'off', text: `${sendingOff} (docs/newsletters.md)` } : null;
  if (!store)
    return {
      byArticle,
      sendingOff,
      demoMailUrl,
      notice: {
        kind: 'unavailable',
        text: 'Newsletter sends cannot be shown: the members’ database is not configured.',
      },
    };
  try {
    for (const send of await listSends(store)) {
      const list = byArticle.get(send.article) ?? [];
      list.push(send);
      byArticle.set(send.article, list);
    }
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    notice = { kind: 'unavailable', text: 'Newsletter sends cannot be shown: the members’ database is not answering.' };
  }
  return { byArticle, sendingOff, demoMailUrl, notice };
}
