// The comment threads of the open piece, shared by the editor (highlights, the Comment button and Ctrl+Alt+M)
// and the Comments panel: the threads as last read, whom a comment may mention, the selected thread and the
// composer of a new thread (with the quote of the selection, or none for the whole piece). The panel re-reads
// on every `comments` event of the piece (PieceActivity).
import { api } from '$lib/api-client';
import type { CommentPerson, CommentThread } from '$lib/domain/comments';
import type { TextQuote } from '$lib/editor/comment-anchors';

export class PieceComments {
	threads = $state<CommentThread[]>([]);
	mentionable = $state<CommentPerson[]>([]);
	/** The thread selected (in the panel, or by clicking its highlight). */
	active = $state<string | null>(null);
	/** The composer of a new thread, open with the quote it is on (null quote: the whole piece). */
	draft = $state<{ quote: TextQuote | null } | null>(null);
	/** Raised each time the composer is asked for, so the panel moves focus into it again. */
	draftRequests = $state(0);
	loaded = $state(false);
	error = $state<string | null>(null);
	private reads = 0;

	constructor(readonly pieceId: string) {}

	/** Read the threads again (the last read started wins). */
	async load(): Promise<void> {
		const read = ++this.reads;
		try {
			const res = await api<{ threads: CommentThread[]; mentionable: CommentPerson[] }>(`/api/pieces/${this.pieceId}/comments`);
			if (read !== this.reads) return;
			this.threads = res.threads;
			this.mentionable = res.mentionable;
			this.error = null;
			if (this.active && !res.threads.some((t) => t.id === this.active)) this.active = null;
		} catch (err) {
			if (read === this.reads) this.error = (err as Error).message;
		} finally {
			if (read === this.reads) this.loaded = true;
		}
	}

	/** Open the composer for a new thread on this quote (null: on the whole piece). */
	compose(quote: TextQuote | null): void {
		this.draft = { quote };
		this.draftRequests++;
	}
}
