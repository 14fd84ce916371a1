// The assembled issue: what every export of an issue or a piece renders from (Markdown in the archive format,
// print HTML, PDF). One read model, so the formats never disagree about what an issue holds or in what order.
import type { JSONContent } from '@tiptap/core';
import type { Database } from '../db/client';
import type { Actor } from '../auth/sessions';
import type { PieceKind, ReviewState } from '../../domain/pieces';
import { jsonFromYjsState } from '../content/document';
import { getBoard } from './issues';
import { pieceAuthorsOf } from './contributors';
import { getPieceFor } from './pieces';

/** Reads a piece's current Yjs state (live when open): the collab server's `readState`. */
export type ReadState = (pieceId: string) => Promise<Uint8Array | null>;

export interface AssembledAuthor {
	contributorId: string;
	name: string;
	affiliation: string | null;
	/** The bio printed at the end of the piece (the piece's override, else the profile's), as text. */
	bio: string;
}

export interface AssembledPiece {
	id: string;
	kind: PieceKind;
	title: string;
	reviewState: ReviewState;
	/** The title of its section in the issue (`BRIEFS`…), null when in none or exported alone. */
	section: string | null;
	authors: AssembledAuthor[];
	/** The document as the editor schema's JSON (the live state when the piece is open). */
	content: JSONContent;
}

export interface AssembledIssue {
	issue: { id: string; publication: string; tagline: string | null; volume: number; number: number; date: string | null };
	/** The issue's pieces in the order of its contents: the sections in order, each piece in order, then those in no section. */
	pieces: AssembledPiece[];
}

/** Approved and published pieces are final; anything else prints as a draft. */
export function isFinal(piece: Pick<AssembledPiece, 'reviewState'>): boolean {
	return piece.reviewState === 'approved' || piece.reviewState === 'published';
}

async function assembled(db: Database, readState: ReadState, p: { id: string; kind: PieceKind; title: string; reviewState: ReviewState }, section: string | null): Promise<AssembledPiece> {
	const [state, authors] = await Promise.all([readState(p.id), pieceAuthorsOf(db, p.id)]);
	return {
		id: p.id,
		kind: p.kind,
		title: p.title,
		reviewState: p.reviewState,
		section,
		authors: authors.map((a) => ({ contributorId: a.contributorId, name: a.name, affiliation: a.affiliation ?? null, bio: a.bio })),
		content: jsonFromYjsState(state, p.id)
	};
}

/**
 * The issue with the pieces `actor` may see, in contents order; null when there is no such issue.
 * Pieces are read a few at a time (an issue has tens of pieces; each read may decode a large state).
 */
export async function assembleIssue(db: Database, readState: ReadState, actor: Actor, issueId: string): Promise<AssembledIssue | null> {
	const board = await getBoard(db, actor, issueId, 'UTC');
	if (!board) return null;
	const order = [...board.sections.flatMap((s) => s.pieces.map((p) => ({ p, section: s.title as string | null }))), ...board.unplaced.map((p) => ({ p, section: null }))];
	const pieces: AssembledPiece[] = [];
	for (let i = 0; i < order.length; i += 4) {
		pieces.push(...(await Promise.all(order.slice(i, i + 4).map(({ p, section }) => assembled(db, readState, p, section)))));
	}
	const { id, publication, tagline, volume, number, date } = board.issue;
	return { issue: { id, publication, tagline, volume, number, date }, pieces };
}

/** One piece alone, as `actor` may see it; null when there is no such piece or they may not see it. */
export async function assemblePiece(db: Database, readState: ReadState, actor: Actor, pieceId: string): Promise<AssembledPiece | null> {
	const piece = await getPieceFor(db, actor, pieceId);
	if (!piece || !piece.actions.view) return null;
	return assembled(db, readState, piece, null);
}
