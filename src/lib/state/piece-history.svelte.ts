// A piece's history (GET /api/pieces/:id/history) as the piece page shows it: the timeline and the notice of
// the changes requested read it. The page calls `load` on open and again on every `history` nudge of
// PieceActivity; an answer that arrives after a newer request was made is dropped.
import { api, ApiError } from '$lib/api-client';
import type { HistoryEntry } from '$lib/domain/history';

export class PieceHistory {
	/** Newest first; null until the first answer. */
	entries = $state<HistoryEntry[] | null>(null);
	error = $state<string | null>(null);
	#asked = 0;
	#pieceId: string | null = null;

	async load(pieceId: string): Promise<void> {
		const ask = ++this.#asked;
		if (pieceId !== this.#pieceId) {
			this.#pieceId = pieceId;
			this.entries = null;
		}
		try {
			const { history } = await api<{ history: HistoryEntry[] }>(`/api/pieces/${encodeURIComponent(pieceId)}/history`);
			if (ask !== this.#asked) return;
			this.entries = history;
			this.error = null;
		} catch (err) {
			if (ask !== this.#asked) return;
			this.error = `The history could not be loaded: ${(err as ApiError).message}`;
		}
	}
}

