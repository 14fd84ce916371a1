// The collaboration protocol as Galley speaks it: y-websocket's messages plus two of our own.
// Shared by the browser, the server and the tests. Documented in docs/protocol.md.
import type { PieceKind, ReviewState } from './pieces';

/** The name of the Y.XmlFragment holding a piece's rich text (public contract: docs/protocol.md). */
export const BODY_FRAGMENT = 'body';

/** y-protocols sync (step 1, step 2, update). */
export const MESSAGE_SYNC = 0;
/** y-protocols awareness. */
export const MESSAGE_AWARENESS = 1;
/**
 * Galley extension: durable acknowledgement. Payload: varUint8Array holding Y.encodeStateVector of
 * everything now committed to the database. Sent after each group commit and once after connecting.
 */
export const MESSAGE_DURABLE_ACK = 8;
/** Galley extension: a notice to the client. Payload: varString holding JSON `{ "type": "read_only" | "update_rejected" | "presence" | "piece", ... }`. */
export const MESSAGE_NOTICE = 9;

export type CollabNotice =
	| { type: 'read_only'; reason: string }
	/**
	 * An update was refused. `resync`: refused as a whole because it wrote outside the sections the person may
	 * write in; the client's copy holds what the server never will, so it drops it and syncs afresh.
	 */
	| { type: 'update_rejected'; reason: string; resync?: boolean }
	/** The caret colour the others see for this connection (the account's own, unless someone here shows it already). */
	| { type: 'presence'; color: string }
	/**
	 * The piece as this connection's person sees it now: sent once after connecting and again after every
	 * change of its details, review state or rights, to every open page on every Galley process.
	 */
	| { type: 'piece'; piece: LivePiece };

/** One author of a piece and the bio that ends it (this piece's override, else the profile's). */
export interface PieceAuthorView {
	contributorId: string;
	name: string;
	affiliation: string;
	profileBio: string;
	bioOverride: string | null;
	bio: string;
}

/** What an open page shows of a piece besides its text, computed for one person (their actions and moves). */
export interface LivePiece {
	id: string;
	kind: PieceKind;
	title: string;
	reviewState: ReviewState;
	/** Approved or published: nobody edits the text, details or authors until the editor reopens it. */
	locked: boolean;
	/** The details version (title, kind, authors, bios) a write must name to be accepted (docs/api.md). */
	detailsVersion: number;
	/** The server's `actions` for this person (view, edit_text, replace_text, update_details, change_review_state, delete, save_version, restore_version…). */
	actions: Record<'view' | 'edit_text' | 'replace_text' | 'update_details' | 'change_review_state' | 'delete' | 'save_version' | 'restore_version', boolean>;
	/** The review moves this person may make now. */
	transitions: { to: ReviewState; label: string }[];
	/** The sections (heading ids) this person may write in when only sections are theirs; null: not restricted. */
	sections?: string[] | null;
	authors: PieceAuthorView[];
}

/**
 * Largest awareness state (presence: user, cursor, …) one client may publish, as JSON in UTF-8. A cursor and
 * a user take a few hundred bytes; a larger state closes the connection with 1008 and is not fanned out.
 */
export const MAX_AWARENESS_STATE_BYTES = 16 * 1024;

/** WebSocket close codes the server uses. 1007/1008/1009 are the standard ones for bad frames. */
export const CLOSE = {
	/** Malformed frame or undecodable update. */
	INVALID_DATA: 1007,
	/** Policy violation: rate limit, spoofed awareness, too many documents or connections. */
	POLICY: 1008,
	/** Frame larger than the limit. */
	TOO_BIG: 1009,
	/** Server shutting down; reconnect. */
	GOING_AWAY: 1001,
	/** The user's rights to this piece changed (revoked, locked, reopened): reconnect to get the new rights. */
	RIGHTS_CHANGED: 4001,
	/** The rights were withdrawn altogether: do not reconnect. */
	FORBIDDEN: 4003,
	/** The person signed out (in another tab or window): their sign-in ended; sign in again. */
	SIGNED_OUT: 4401,
	/** The client's editor schema is outdated: reload the page. */
	SCHEMA_OUTDATED: 4009,
	/** The document could not be loaded from the database: try again later. */
	UNAVAILABLE: 4503
} as const;

/** Where the websocket lives: ws(s)://HOST:PORT/collab/<pieceId>. */
export const COLLAB_PATH = '/collab';

/**
 * The socket's address says the client holds no copy of the piece (`?copy=none`): the server sends it the
 * whole piece (its sync step 2) as soon as the connection is attached, as if the client had sent the sync
 * step 1 of an empty document, and the client does not send that step 1 (docs/protocol.md).
 */
export const HOLDS_NO_COPY_PARAM = ['copy', 'none'] as const;

export function pieceIdFromCollabPath(pathname: string): string | null {
	const m = /^\/collab\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname);
	return m ? m[1] : null;
}
