// The browser's own copies of pieces: one y-indexeddb database per piece, `galley-piece-<id>`, kept so that
// edits made offline survive a closed tab. Signing out deletes them (the next person at this browser must
// not find the pieces), after warning when an open page holds edits the server has not acknowledged.
import { nanoid } from 'nanoid';

export const LOCAL_COPY_PREFIX = 'galley-piece-';

export function localCopyName(pieceId: string): string {
	return `${LOCAL_COPY_PREFIX}${pieceId}`;
}

/** What signing out needs to know of a page's collaboration session. */
export interface LocalCopyHolder {
	readonly pieceId: string;
	/** Edits made on this page (or loaded from its IndexedDB copy) that the server has not acknowledged. */
	readonly hasUnsavedEdits: boolean;
}

const open = new Set<LocalCopyHolder>();
/** Every copy opened on this page since it loaded (for browsers without indexedDB.databases()). */
const opened = new Set<string>();

/** Called by a collaboration session when it opens its copy; the returned function when it closes. */
export function trackLocalCopy(holder: LocalCopyHolder): () => void {
	open.add(holder);
	opened.add(localCopyName(holder.pieceId));
	return () => open.delete(holder);
}

/** How many pieces open on this page hold edits not yet saved. */
export function unsavedPieceCount(): number {
	return [...open].filter((h) => h.hasUnsavedEdits).length;
}

/** "2 pieces have edits not yet saved." */
export function unsavedWarning(count: number): string {
	return `${count} ${count === 1 ? 'piece has' : 'pieces have'} edits not yet saved. Signing out deletes this browser’s copy of your pieces, and those edits with it.`;
}

/**
 * Delete every piece copy in this browser. Call after the pages holding them have closed their sessions: a
 * copy still open (in another tab) is deleted once that tab lets go of it; this waits at most `waitMs` each.
 */
export async function deleteLocalCopies(waitMs = 3_000): Promise<string[]> {
	if (typeof indexedDB === 'undefined') return [];
	const names = new Set(opened);
	try {
		for (const db of await indexedDB.databases()) if (db.name?.startsWith(LOCAL_COPY_PREFIX)) names.add(db.name);
	} catch {
		/* no databases() (older browsers): the copies this page opened */
	}
	await Promise.all(
		[...names].map(
			(name) =>
				new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, waitMs);
					const done = () => {
						clearTimeout(timer);
						resolve();
					};
					const request = indexedDB.deleteDatabase(name);
					request.onsuccess = done;
					request.onerror = done;
				})
		)
	);
	for (const name of names) opened.delete(name);
	return [...names];
}

/**
 * The tabs of this browser talk over this channel: a tab that signs out asks the others how many pieces with
 * unsaved edits they hold (its warning counts them too), then tells them it signed out, and they leave their pieces.
 */
export const ACCOUNT_CHANNEL = 'galley-account';

export type AccountMessage = 'signed-out' | { type: 'unsaved?'; ask: string } | { type: 'unsaved'; ask: string; count: number };

/** Answer other tabs' questions on `channel`; call `signedOut` when another tab signed out. Returns the listener's removal. */
export function listenToOtherTabs(channel: BroadcastChannel, signedOut: () => void): () => void {
	const listener = (event: MessageEvent<AccountMessage>) => {
		const message = event.data;
		if (message === 'signed-out') return signedOut();
		if (typeof message === 'object' && message?.type === 'unsaved?') {
			channel.postMessage({ type: 'unsaved', ask: message.ask, count: unsavedPieceCount() } satisfies AccountMessage);
		}
	};
	channel.addEventListener('message', listener);
	return () => channel.removeEventListener('message', listener);
}

/** How many pieces with unsaved edits the other tabs of this browser hold (those that answer within `waitMs`). */
export function unsavedInOtherTabs(channel: BroadcastChannel | null, waitMs = 300): Promise<number> {
	if (!channel) return Promise.resolve(0);
	const ask = nanoid();
	let total = 0;
	const listener = (event: MessageEvent<AccountMessage>) => {
		const message = event.data;
		if (typeof message === 'object' && message?.type === 'unsaved' && message.ask === ask) total += message.count;
	};
	channel.addEventListener('message', listener);
	channel.postMessage({ type: 'unsaved?', ask } satisfies AccountMessage);
	return new Promise((resolve) =>
		setTimeout(() => {
			channel.removeEventListener('message', listener);
			resolve(total);
		}, waitMs)
	);
}
