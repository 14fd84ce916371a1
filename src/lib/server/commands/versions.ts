// Versions of a piece: snapshots of its text saved at every review move, on demand with a name, and before
// a restore; and the restore itself, applied to the live document as a new forward change.
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import type { Database } from '../db/client';
import { pieceVersions } from '../db/schema';
import { newId } from '../auth/tokens';
import type { CollabServer } from '../collab/server';
import { BODY_FRAGMENT, jsonFromYjsState, yjsStateFromJSON } from '../content/document';
import { editorSchema } from '../../editor/extensions';
import { beforeRestoreLabel, type PieceVersion, type VersionKind } from '../../domain/versions';
import { getVersion } from '../queries/versions';
import { RightsChangedMeanwhile } from './transcript';

/**
 * The snapshot kept for a version: the compacted state, not the update log. A fresh Yjs document built
 * from the text (no deleted items, no history) is almost always the smaller; the state as it is is kept
 * when it is not. Both render and restore the same text.
 */
export function snapshotOf(state: Uint8Array | null, pieceId?: string): Uint8Array {
	const fresh = yjsStateFromJSON(jsonFromYjsState(state, pieceId));
	return state && state.length < fresh.length ? state : fresh;
}

/** Save a version of the piece's text as it is now (live when it is open). */
export async function saveVersion(
	db: Database,
	collab: Pick<CollabServer, 'readState'>,
	input: { pieceId: string; kind: VersionKind; label: string; createdBy: { id: string; name: string } | null; reviewEventId?: number | null; restoredFrom?: string | null; state?: Uint8Array | null }
): Promise<PieceVersion> {
	const state = input.state !== undefined ? input.state : await collab.readState(input.pieceId);
	const [row] = await db
		.insert(pieceVersions)
		.values({
			id: newId(),
			pieceId: input.pieceId,
			kind: input.kind,
			label: input.label,
			state: snapshotOf(state, input.pieceId),
			reviewEventId: input.reviewEventId ?? null,
			restoredFrom: input.restoredFrom ?? null,
			createdBy: input.createdBy?.id ?? null
		})
		.returning({ id: pieceVersions.id, createdAt: pieceVersions.createdAt });
	return {
		id: row.id,
		kind: input.kind,
		label: input.label,
		createdAt: row.createdAt.toISOString(),
		createdBy: input.createdBy ? { id: input.createdBy.id, name: input.createdBy.name } : null,
		reviewEventId: input.reviewEventId ?? null,
		restoredFrom: input.restoredFrom ?? null
	};
}

const RESTORE_ORIGIN = { restore: true };

/**
 * Restore a version: save the text as it is now as a `before_restore` version, then make the live
 * document's body the old text as a new forward change, by difference (y-prosemirror's updateYFragment,
 * as the transcript import does): blocks that did not change keep their Yjs items, a changed paragraph
 * gets only its text changes. So connected editors see it at once, and an offline editor's later edits to
 * text that survives merge in when it reconnects; nothing the restore removed comes back, nothing doubles.
 * Stored through the group commit like any edit. Null when the piece has no such version.
 * `rightsSeen` (collab.rightsVersion when the caller checked the rights): refused with
 * RightsChangedMeanwhile when the piece was locked meanwhile.
 */
export async function restoreVersion(
	db: Database,
	collab: CollabServer,
	input: { pieceId: string; versionId: string; actor: { id: string; name: string }; rightsSeen?: number }
): Promise<PieceVersion | null> {
	const found = await getVersion(db, input.pieceId, input.versionId);
	if (!found) return null;
	const restored = jsonFromYjsState(found.state, input.pieceId);
	editorSchema.nodeFromJSON(restored).check(); // throws before anything is saved or applied
	if (input.rightsSeen !== undefined && collab.rightsVersion(input.pieceId) !== input.rightsSeen) throw new RightsChangedMeanwhile();
	const before = await saveVersion(db, collab, {
		pieceId: input.pieceId,
		kind: 'before_restore',
		label: beforeRestoreLabel(found.version.label),
		createdBy: input.actor,
		restoredFrom: input.versionId
	});
	const live = await collab.use(input.pieceId, (live) => {
		try {
			if (input.rightsSeen !== undefined && collab.rightsVersion(input.pieceId) !== input.rightsSeen) throw new RightsChangedMeanwhile();
			live.doc.transact(() => {
				prosemirrorJSONToYXmlFragment(editorSchema, restored, live.doc.getXmlFragment(BODY_FRAGMENT));
			}, RESTORE_ORIGIN);
			return live;
		} catch (err) {
			collab.release(live);
			throw err;
		}
	});
	try {
		await collab.commits.idle();
		await collab.projectNow(live); // word count, body text and headings at once
		return before;
	} finally {
		collab.release(live);
	}
}
