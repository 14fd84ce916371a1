// Sign-ins withdrawn while connections they opened are live (signing out, a revoked API token): those
// connections are closed, here and (through the relay, by the CollabServer) on the other processes.
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

	/** Why a connection that authenticated as `actor` and waited for its document must be refused, or null. */
	refusal(actor: Actor): { code: number; reason: string } | null {
		if (actor.credential && this.revoked.has(actor.credential)) return { code: CLOSE.FORBIDDEN, reason: 'your sign-in was revoked' };
		return null;
	}
}
