// The issue board's pure parts, shared by the page and its tests: moving a piece by keyboard through the
// table of contents, and how a word count reads against its target.

/** One list of the board: a section (key: its id) or the issue's pieces in no section (key: null). */
export interface BoardZone {
	key: string | null;
	ids: string[];
}

/**
 * Where a piece goes when moved one step up (-1) or down (+1) through the table of contents, the zones in
 * the order shown: within its list, else to the end of the list before or the start of the list after.
 * Null when it cannot move that way (first of the first list, last of the last) or is not on the board.
 */
export function keyboardMove(zones: BoardZone[], pieceId: string, step: -1 | 1): { key: string | null; position: number } | null {
	const z = zones.findIndex((zone) => zone.ids.includes(pieceId));
	if (z < 0) return null;
	const at = zones[z].ids.indexOf(pieceId);
	const to = at + step;
	if (to >= 0 && to < zones[z].ids.length) return { key: zones[z].key, position: to };
	const next = zones[z + step];
	if (!next) return null;
	return { key: next.key, position: step === 1 ? 0 : next.ids.length };
}

const thousands = new Intl.NumberFormat('en-GB');

/** "812 / 1,200 words", or "812 words" without a target. */
export function wordsAgainstTarget(count: number, target: number | null): string {
	if (target === null) return `${thousands.format(count)} ${count === 1 ? 'word' : 'words'}`;
	return `${thousands.format(count)} / ${thousands.format(target)} words`;
}

/** An issue's details as the API gives them. */
export interface IssueInfo {
	id: string;
	publication: string;
	tagline: string | null;
	volume: number;
	number: number;
	/** The publication date, YYYY-MM-DD. */
	date: string | null;
	createdAt: string | Date;
}

/** Someone's assignment on a piece, as the board shows it. */
export interface BoardAssignment {
	id: string;
	userId: string;
	name: string;
	role: 'author' | 'reviewer' | 'viewer';
	/** The heading id of the assigned section of the piece's text; null: the whole piece. */
	sectionId: string | null;
	dueOn: string | null;
	wordTarget: number | null;
	/** A section assignment whose heading is no longer in the piece's text. */
	detached: boolean;
}

/** A piece on the board. */
export interface BoardPiece {
	id: string;
	kind: 'brief' | 'article' | 'interview';
	title: string;
	reviewState: import('./pieces').ReviewState;
	wordCount: number;
	wordTarget: number | null;
	sectionId: string | null;
	position: number;
	authors: string[];
	assignments: BoardAssignment[];
	/** The earliest due date of its assignments. */
	dueOn: string | null;
	/** Past its due day (in the publication's time zone) and not yet approved. */
	late: boolean;
}

/** GET /api/issues/{id}. */
export interface Board {
	issue: IssueInfo;
	sections: { id: string; title: string; position: number; pieces: BoardPiece[] }[];
	/** The issue's pieces in no section. */
	unplaced: BoardPiece[];
	actions: { plan: boolean };
}
