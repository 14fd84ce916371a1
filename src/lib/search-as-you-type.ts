// Asking the server as the person types (the citation dialog's source picker, the board's piece picker): the
// question waits until typing pauses, and a new one cancels the one before, so a quick typist makes one
// request, for what the box finally holds, and a late answer to an older text never replaces a newer one.

/** How long typing must pause before the server is asked. */
export const SEARCH_DELAY_MS = 200;

export interface SearchAsYouType {
	/** Ask about `text` after `delayMs` (default SEARCH_DELAY_MS) unless asked again or cancelled first. */
	ask(text: string, delayMs?: number): void;
	/** Forget the question waiting or under way: its request is aborted and its answer never delivered. */
	cancel(): void;
}

/**
 * `fetch(text, signal)` asks the server (it must pass `signal` on to fetch); `answer(result, text)` gets the
 * answer to the latest question only; `failed(error, text)`, if given, a failure of the latest question (an
 * abort is no failure).
 */
export function searchAsYouType<T>(
	fetch: (text: string, signal: AbortSignal) => Promise<T>,
	answer: (result: T, text: string) => void,
	failed: (error: unknown, text: string) => void = () => {}
): SearchAsYouType {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let current: AbortController | null = null;

	function cancel() {
		clearTimeout(timer);
		timer = undefined;
		current?.abort();
		current = null;
	}

	function ask(text: string, delayMs = SEARCH_DELAY_MS) {
		cancel();
		const controller = new AbortController();
		current = controller;
		timer = setTimeout(async () => {
			try {
				const result = await fetch(text, controller.signal);
				if (current === controller && !controller.signal.aborted) answer(result, text);
			} catch (err) {
				if (current === controller && !controller.signal.aborted) failed(err, text);
			}
		}, delayMs);
	}

	return { ask, cancel };
}
