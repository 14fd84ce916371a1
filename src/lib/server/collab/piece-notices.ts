// The `piece` notice (docs/protocol.md): what an open page shows of its piece besides the text (title,
// kind, review state, lock, the person's actions and moves, authors). Sent to each connection once it is
// attached, and again to every connection of the piece after a change of its details, review state or
// rights, on this process and (through the relay, by the CollabServer) on the others. Computed per
// recipient: each person gets their own actions and moves.
import type { Database } from '../db/client';
import { livePieceFor } from '../queries/pieces';
import { CollabConnection } from './connection';
import type { LiveDocument } from './documents';
import type { Logger } from '../log';

export class PieceNotices {
	/** Per connection, the notice being computed: the next waits for it, so the last one sent is the newest read. */
	private pending = new WeakMap<CollabConnection, Promise<void>>();

	constructor(
		private db: Database,
		private log: Logger
	) {}

	/** Tell every connection of this document what the piece is now. */
	pushAll(live: LiveDocument): Promise<void> {
		const sends: Promise<void>[] = [];
		for (const peer of live.peers) if (peer instanceof CollabConnection) sends.push(this.push(peer));
		return Promise.all(sends).then(() => undefined);
	}

	/** Read the piece as this connection's person sees it, and send it (after any notice still being read for it). */
	push(conn: CollabConnection): Promise<void> {
		const previous = this.pending.get(conn) ?? Promise.resolve();
		const next = previous.then(async () => {
			if (conn.closed) return;
			try {
				const piece = await livePieceFor(this.db, conn.actor, conn.live.pieceId);
				// not visible to them any more: the rights re-check closes the connection
				if (piece) conn.sendNotice({ type: 'piece', piece });
			} catch (err) {
				this.log.warn({ pieceId: conn.live.pieceId, user: conn.actor.id, err }, 'could not send the piece notice');
			}
		});
		this.pending.set(conn, next);
		return next;
	}
}
