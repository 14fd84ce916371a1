// What happens around one open piece besides its text: its comment threads and its history (review moves,
// versions). The piece page creates one (through context, never a module-level singleton) and points it at
// the piece it shows (`connect(pieceId)`, again when it shows another); it listens to `/api/events?piece=<id>`. Each event is a nudge: panels watch `comments` or
// `history` and re-read through the API. After a reconnect both are raised (events sent meanwhile were missed).
import { getContext, setContext } from 'svelte';

const KEY = Symbol('galley.piece-activity');

export class PieceActivity {
	/** Raised on every `comments` event of the piece (and after a reconnect). */
	comments = $state(0);
	/** Raised on every `history` event of the piece (and after a reconnect). */
	history = $state(0);
	/** Whether the stream is open (tests and the status line wait for it). */
	open = $state(false);
	/** The piece listened to. */
	pieceId = $state<string | null>(null);

	/** Listen to this piece's events (in the browser); returns the function that stops. */
	connect(pieceId: string): () => void {
		this.pieceId = pieceId;
		if (typeof EventSource === 'undefined') return () => {};
		const source = new EventSource(`/api/events?piece=${encodeURIComponent(pieceId)}`);
		source.addEventListener('comments', () => this.comments++);
		source.addEventListener('history', () => this.history++);
		let opened = false;
		source.addEventListener('open', () => {
			this.open = true;
			if (opened) {
				this.comments++;
				this.history++;
			}
			opened = true;
		});
		source.addEventListener('error', () => (this.open = source.readyState === EventSource.OPEN));
		return () => {
			source.close();
			this.open = false;
		};
	}
}

export function setPieceActivity(activity: PieceActivity): void {
	setContext(KEY, activity);
}

export function pieceActivity(): PieceActivity | undefined {
	return getContext<PieceActivity | undefined>(KEY);
}
