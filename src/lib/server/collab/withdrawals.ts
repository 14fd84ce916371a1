// Sign-ins withdrawn while connections they opened are live (signing out, a revoked API token, a removed
// person): those connections are closed, here and (through the relay, by the CollabServer) on the other
// processes. Also a person whose role changed: their connections reconnect with the new role's rights.
import { CLOSE } from '../../domain/collab';
import type { Actor } from '../auth/sessions';
import { CollabConnection } from './connection';
import type { LiveDocument } from './documents';

/** How long a revoked credential is remembered for connections that were still loading their document. */
const REVOKED_REMEMBERED_MS = 60_000;

export class Withdrawals {
	/**
	 * Recently revoked credentials: a connection authenticated just before the revocation may still be
	 * waiting for its document to load (not among the peers yet); it is refused when it gets there.
	 */
	private revoked = new Map<string, number>();

	/** `loaded`: the documents that have finished loading (one still loading has no peers yet). */
	constructor(private loaded: () => Iterable<LiveDocument>) {}

	/** Close every connection opened with this credential with 4003 (no reconnecting), and remember it. */
	closeCredential(credential: string): void {
		const now = Date.now();
		this.revoked.set(credential, now);
		for (const [key, at] of this.revoked) if (now - at > REVOKED_REMEMBERED_MS) this.revoked.delete(key);
		// only loaded documents: one still loading has no peers yet (see CollabServer.attach), and must not delay this
		for (const live of [...this.loaded()]) {
			for (const peer of [...live.peers]) {
				if (peer instanceof CollabConnection && peer.actor.credential === credential) {
					peer.close(CLOSE.FORBIDDEN, 'your sign-in was revoked');
				}
			}
		}
	}

	/** When each account last changed (its role), for connections authenticated before and still loading. */
	private accountChanges = new Map<string, number>();

	/** Close every connection of this person with 4001: their client reconnects with their new rights. */
	closeAccount(userId: string): void {
		const now = Date.now();
		this.accountChanges.set(userId, now);
		for (const [key, at] of this.accountChanges) if (now - at > REVOKED_REMEMBERED_MS) this.accountChanges.delete(key);
		for (const live of [...this.loaded()]) {
			for (const peer of [...live.peers]) {
				if (peer instanceof CollabConnection && peer.actor.id === userId) peer.close(CLOSE.RIGHTS_CHANGED, 'your role changed; reconnect');
			}
		}
	}

	/**
	 * Why a connection that authenticated as `actor` (at `authenticatedAt`, before reading the database) and
	 * waited for its document must be refused, or null.
	 */
	refusal(actor: Actor, authenticatedAt: number): { code: number; reason: string } | null {
		if (actor.credential && this.revoked.has(actor.credential)) return { code: CLOSE.FORBIDDEN, reason: 'your sign-in was revoked' };
		if ((this.accountChanges.get(actor.id) ?? -Infinity) >= authenticatedAt) return { code: CLOSE.RIGHTS_CHANGED, reason: 'your role changed; reconnect' };
		return null;
	}
}
