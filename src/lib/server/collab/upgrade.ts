import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Database } from '../db/client';
import { authenticate, type Actor } from '../auth/sessions';
import type { RateLimits } from '../auth/rate-limits';
import { collabAccess, collabSections } from '../policies';
import { loadPieceSubject } from '../queries/pieces';
import { pieceIdFromCollabPath } from '../../domain/collab';
import { isAllowedOrigin } from '../origin';
import type { Logger } from '../log';

// The HTTP upgrade of ws(s)://HOST/collab/<pieceId>: which requests are ours, who is asking (the
// credential) and what they may do with the piece (the policies). A refused upgrade gets a plain HTTP
// answer and nothing else; an accepted one is handed to the collaboration server.

/** What the collaboration server lends the upgrade. */
export interface UpgradeHost {
	db: Database;
	/** The app's configured origin; null derives it from the Host header. */
	origin: string | null;
	/** The session cookie's name for this origin's scheme (auth/sessions.ts sessionCookieName). */
	sessionCookie?: string;
	/** Rate limits on upgrades (auth/rate-limits.ts); none when absent. */
	limits?: Pick<RateLimits, 'refuseUpgrade'>;
	stopping(): boolean;
	/** Counts the rights changes of a piece seen by this process (see CollabServer.attach). */
	rightsVersion(pieceId: string): number;
	log: Logger;
}

/** An upgrade that passed every check. */
export interface UpgradeGrant {
	url: URL;
	pieceId: string;
	actor: Actor;
	access: 'edit' | 'view';
	/** With `edit`: the sections (heading ids) the connection may write in; null: the whole piece. */
	sections: string[] | null;
	/** The piece's rights version read before its subject was loaded. */
	rightsSeen: number;
	/** When the credential was checked: a withdrawal after it still closes the connection (see Withdrawals). */
	authenticatedAt: number;
}

/**
 * Handle an HTTP upgrade. Returns false when the path is not ours (e.g. Vite's HMR socket). `accept` is
 * called with the grant once the upgrade is authenticated and authorized.
 */
export function handleCollabUpgrade(host: UpgradeHost, req: IncomingMessage, socket: Duplex, accept: (grant: UpgradeGrant) => void): boolean {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const pieceId = pieceIdFromCollabPath(url.pathname);
	if (pieceId === null) {
		if (!url.pathname.startsWith('/collab')) return false;
		refuse(socket, 404, 'Not Found');
		return true;
	}
	// A function of its own, not a closure: the listener stays on the socket for the connection's life, and a
	// closure here would keep the upgrade request (its headers) and `head` alive with it.
	socket.on('error', destroySocket);
	upgrade(host, req, socket, url, pieceId)
		.then((grant) => grant && accept(grant))
		.catch((err) => {
			host.log.warn({ err }, 'upgrade failed');
			refuse(socket, 500, 'Internal Server Error');
		});
	return true;
}

async function upgrade(host: UpgradeHost, req: IncomingMessage, socket: Duplex, url: URL, pieceId: string): Promise<UpgradeGrant | null> {
	if (host.stopping()) return refuse(socket, 503, 'Service Unavailable');
	if (!isAllowedOrigin(req.headers.origin, req.headers.host, host.origin)) {
		return refuse(socket, 403, 'Forbidden');
	}
	const authenticatedAt = Date.now();
	const actor = await authenticate(host.db, {
		authorization: req.headers.authorization,
		cookie: req.headers.cookie,
		queryToken: url.searchParams.get('token'),
		sessionCookie: host.sessionCookie
	});
	if (!actor) return refuse(socket, 401, 'Unauthorized');
	if (await host.limits?.refuseUpgrade(req, socket, actor.id)) return null;
	const rightsSeen = host.rightsVersion(pieceId);
	const subject = await loadPieceSubject(host.db, pieceId, actor.id);
	const access = subject ? collabAccess(actor, subject) : 'none';
	// A piece the actor may not see answers as one that does not exist (as HTTP does): ids are not confirmed.
	if (access === 'none') return refuse(socket, 404, 'Not Found');
	return { url, pieceId, actor, access, sections: access === 'edit' ? collabSections(actor, subject!) : null, rightsSeen, authenticatedAt };
}

function destroySocket(this: Duplex): void {
	this.destroy();
}

function refuse(socket: Duplex, status: number, text: string): null {
	if (socket.destroyed) return null;
	socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
	return null;
}
