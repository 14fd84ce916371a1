import { json } from '@sveltejs/kit';
import type { Actor } from '../auth/sessions';
import { galley } from '../runtime';
import { setPieceArchived } from '../commands/pieces';
import { getPieceFor } from '../queries/pieces';
import { announcePieceChange } from '../live/piece-events';
import { authorizePiece } from './pieces';
import { apiError } from './http';

/**
 * Archive or restore a piece (the editor): it leaves every list and board, or comes back. Open editors
 * are re-checked (an archived piece is read-only: they reconnect with 4001 and get it read-only), and
 * lists and its issue's board hear it. Doing it twice changes nothing the second time (200).
 */
export async function archiveOrRestore(actor: Actor, pieceId: string, archived: boolean): Promise<Response> {
	const { db, collab, feed } = await galley();
	await authorizePiece(db, actor, pieceId, archived ? 'archive' : 'restore');
	const result = await setPieceArchived(db, pieceId, archived);
	if (!result) return apiError(404, 'No such piece');
	if (result.changed) {
		await collab.rightsChanged(pieceId);
		announcePieceChange(feed, pieceId, result.issueId);
	}
	return json({ piece: await getPieceFor(db, actor, pieceId) });
}
