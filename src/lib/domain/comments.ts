// A piece's comment threads as the API gives them (GET /api/pieces/:id/comments; docs/api.md "Comments").

export interface CommentPerson {
	id: string;
	name: string;
}

export interface ThreadAnchor {
	exact: string;
	prefix: string;
	suffix: string;
	/** The stored Yjs relative positions (Y.encodeRelativePosition, base64), for the browser's highlights. */
	start: string;
	end: string;
}

export interface CommentReply {
	id: string;
	parentId: string;
	body: string;
	author: CommentPerson | null;
	mentions: CommentPerson[];
	createdAt: string;
	editedAt: string | null;
	actions: { edit: boolean; delete: boolean };
}

export interface CommentThread {
	id: string;
	body: string;
	author: CommentPerson | null;
	mentions: CommentPerson[];
	createdAt: string;
	editedAt: string | null;
	quote: string | null;
	anchor: ThreadAnchor | null;
	onDeletedText: boolean;
	resolved: boolean;
	resolvedAt: string | null;
	resolvedBy: CommentPerson | null;
	replies: CommentReply[];
	actions: { edit: boolean; delete: boolean; resolve: boolean; reply: boolean };
}
