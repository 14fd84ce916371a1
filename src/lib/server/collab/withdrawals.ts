// Sign-ins withdrawn while connections they opened are live (signing out, a revoked API token, a removed
// person): those connections are closed, here and (through the relay, by the CollabServer) on the other
// processes. Also a person whose role changed: their connections reconnect with the new role's rights.
import { CLOSE } from '../../domain/collab';
import type { Actor } from '../auth/sessions';
import type { Database } from '../db/client';
import { collabAccess, collabSections } from '../policies';
import { loadPieceSubject } from '../queries/pieces';
import { CollabConnection } from './connection';
import type { LiveDocument } from './documents';

/** How long a revoked credential is remembered for connections that were still loading their document. */
const REVOKED_REMEMBERED_MS = 60_000;

export class Withdrawals {
	/**
	 * Recently revoked credentials: a connection authenticated just before the revocation may still be
	 * waiting for its document to load (not among the peers yet); it is refused when it gets there.
	 */
	private revoked = new Map<string, { at: number; signedOut: boolean }>();

	/** `loaded`: the documents that have finished loading (one still loading has no peers yet). */
	constructor(private loaded: () => Iterable<LiveDocument>) {}

	/**
	 * Close every connection opened with this credential (no reconnecting), and remember it: with 4401 when
	 * its person signed out (the page offers to sign in again), else 4003 (revoked by someone else).
	 */
	closeCredential(credential: string, signedOut = false): void {
		const now = Date.now();
		this.revoked.set(credential, { at: now, signedOut });
		for (const [key, { at }] of this.revoked) if (now - at > REVOKED_REMEMBERED_MS) this.revoked.delete(key);
		const { code, reason } = revokedClose(signedOut);
		// only loaded documents: one still loading has no peers yet (see CollabServer.attach), and must not delay this
		for (const live of [...this.loaded()]) {
			for (const peer of [...live.peers]) {
				if (peer instanceof CollabConnection && peer.actor.credential === credential) {
					peer.close(code, reason);
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
	 * Rights to the piece changed (locked, reopened, assignment removed): close each connection whose access
	 * differs now, with 4003 when it has none left, else 4001 (its client reconnects with the new rights).
	 */
	async recheckAccess(db: Database, live: LiveDocument): Promise<void> {
		for (const peer of [...live.peers]) {
			if (!(peer instanceof CollabConnection)) continue;
			const subject = await loadPieceSubject(db, live.pieceId, peer.actor.id);
			const access = subject ? collabAccess(peer.actor, subject) : 'none';
			const sections = access === 'edit' ? collabSections(peer.actor, subject!) : null;
			if (access === 'none') peer.close(CLOSE.FORBIDDEN, 'your access to this piece was withdrawn');
			else if (access !== peer.access) peer.close(CLOSE.RIGHTS_CHANGED, `your access changed to ${access}; reconnect`);
			else if (String(sections) !== String(peer.sections)) peer.close(CLOSE.RIGHTS_CHANGED, 'your sections of this piece changed; reconnect');
		}
	}

	/**
	 * Why a connection that authenticated as `actor` (at `authenticatedAt`, before reading the database) and
	 * waited for its document must be refused, or null.
	 */
	refusal(actor: Actor, authenticatedAt: number): { code: number; reason: string } | null {
		const revoked = actor.credential ? this.revoked.get(actor.credential) : undefined;
		if (revoked) return revokedClose(revoked.signedOut);
		if ((this.accountChanges.get(actor.id) ?? -Infinity) >= authenticatedAt) return { code: CLOSE.RIGHTS_CHANGED, reason: 'your role changed; reconnect' };
		return null;
	}
}

function revokedClose(signedOut: boolean): { code: number; reason: string } {
	return signedOut ? { code: CLOSE.SIGNED_OUT, reason: 'you signed out' } : { code: CLOSE.FORBIDDEN, reason: 'your sign-in was revoked' };
}
