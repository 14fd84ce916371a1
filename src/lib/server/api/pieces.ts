import { json } from '@sveltejs/kit';
import type { Actor } from '../auth/sessions';
import type { DetailsOutcome } from '../commands/pieces';
import type { CollabServer } from '../collab/server';
import type { Database } from '../db/client';
import { pieceRefusal, type PieceAction } from '../policies';
import { REVIEW_STATE_LABELS, type ReviewState } from '../../domain/pieces';
import { loadPieceSubject, pieceAuthorsWithVersion } from '../queries/pieces';
import { ApiFailure, apiError } from './http';
import { announcePieceChanged } from '../live/announce';
import type { LiveFeed } from '../live/feed';

/**
 * Load a piece's policy subject and check `action`. A piece the actor may not even view answers 404,
 * so ids of others' pieces are not confirmed; an action their role never allows, 403; one the piece's
 * lock (approved, published) or archiving forbids, 409 for everyone, the editor included (the editor reopens
 * or restores it first); deleting a piece that is not archived, 409.
 */
export async function authorizePiece(db: Database, actor: Actor, pieceId: string, action: PieceAction) {
	const subject = await loadPieceSubject(db, pieceId, actor.id);
	const refusal = subject ? pieceRefusal(actor, action, subject) : 'hidden';
	if (!subject || refusal === 'hidden') throw new ApiFailure(apiError(404, 'No such piece'));
	if (refusal === 'role') throw new ApiFailure(apiError(403, `You may not ${action.replace(/_/g, ' ')} on this piece`));
	if (refusal === 'locked') throw new ApiFailure(lockedPiece(subject.reviewState));
	if (refusal === 'archived') throw new ApiFailure(apiError(409, 'This piece is archived: its text and details stay as they are until the editor restores it'));
	if (refusal === 'live') throw new ApiFailure(apiError(409, 'Only an archived piece can be deleted: archive it first'));
	return subject;
}

/** 409 for a change to a locked (approved or published) piece; `state` when known. */
export function lockedPiece(state?: ReviewState): Response {
	const what = state ? `${REVIEW_STATE_LABELS[state].toLowerCase()} and locked` : 'locked';
	return apiError(409, `This piece is ${what}: its text, details and authors stay as they are until the editor reopens it (moves it back to draft)`);
}

/**
 * The details version the caller last saw, to have a stale write refused: the body's `version`, else an
 * `If-Match: "7"` header (the ETag of GET /api/pieces/{id} and of its authors). Absent: the write is not
 * compared (last writer wins for what it names). A malformed If-Match is a 400.
 */
export function expectedDetailsVersion(request: Request, bodyVersion: number | undefined): number | undefined {
	if (bodyVersion !== undefined) return bodyVersion;
	const header = request.headers.get('if-match');
	if (header === null || header.trim() === '*') return undefined;
	const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
	if (!m) throw new ApiFailure(apiError(400, 'If-Match: send the details version as an entity tag, e.g. If-Match: "7"', 'If-Match'));
	return Number(m[1]);
}

/** The ETag of a piece's details at `version`. */
export function detailsETag(version: number): string {
	return `"${version}"`;
}

/**
 * The refusal for a details change that did not happen (commands/pieces.ts DetailsOutcome), or null when
 * it did. A stale one is a 409 carrying `current`, the state the caller must look at before trying again.
 */
export function detailsRefusal(outcome: DetailsOutcome, current: () => Promise<Record<string, unknown>>): Promise<Response> | null {
	switch (outcome.outcome) {
		case 'changed':
		case 'unchanged':
			return null;
		case 'locked':
			return Promise.resolve(lockedPiece(outcome.state));
		case 'missing':
			return Promise.resolve(apiError(404, 'No such piece or author'));
		case 'stale':
			return current().then((state) =>
				json(
					{
						error: {
							message: `Someone changed this piece's details meanwhile (now version ${outcome.version}): look at them and try again`,
							field: 'version'
						},
						...state
					},
					{ status: 409, headers: { etag: detailsETag(outcome.version) } }
				)
			);
	}
}

/** A piece's authors and details version (404 without the piece): the state a stale authors write is shown. */
export async function currentAuthors(db: Database, pieceId: string) {
	const current = await pieceAuthorsWithVersion(db, pieceId);
	if (!current) throw new ApiFailure(apiError(404, 'No such piece'));
	return current;
}

/** The answer of the authors routes: the list and the details version, the version also as the ETag. */
export async function authorsResponse(db: Database, pieceId: string): Promise<Response> {
	const current = await currentAuthors(db, pieceId);
	return json(current, { headers: { etag: detailsETag(current.version) } });
}

/**
 * The answer of an authors route after its change: the refusal (409 with the current authors on a stale
 * version), or, once every open page of the piece and the lists and board showing it have been told of a
 * change, the authors now.
 */
export async function authorsChangeAnswer(db: Database, live: { collab: CollabServer; feed: LiveFeed }, pieceId: string, outcome: DetailsOutcome): Promise<Response> {
	const refused = detailsRefusal(outcome, () => currentAuthors(db, pieceId));
	if (refused) return refused;
	if (outcome.outcome === 'changed') {
		await live.collab.detailsChanged(pieceId);
		await announcePieceChanged(live.feed, db, pieceId);
	}
	return authorsResponse(db, pieceId);
}
