import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEARCH_DELAY_MS, searchAsYouType } from './search-as-you-type';

/** A server whose answers the test releases by hand, recording each question and its signal. */
function server() {
	const asked: { text: string; signal: AbortSignal; reply: (sources: string[]) => void; refuse: (err: Error) => void }[] = [];
	const fetch = (text: string, signal: AbortSignal) =>
		new Promise<string[]>((reply, refuse) => {
			asked.push({ text, signal, reply, refuse });
			signal.addEventListener('abort', () => refuse(new DOMException('aborted', 'AbortError')));
		});
	return { asked, fetch };
}

describe('searchAsYouType', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('asks once, for the final text, when the keys come faster than the delay', async () => {
		const { asked, fetch } = server();
		const answers: [string[], string][] = [];
		const search = searchAsYouType(fetch, (result, text) => answers.push([result, text]));
		for (const text of ['V', 'Va', 'Var', 'Vare']) {
			search.ask(text);
			await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS - 1);
		}
		expect(asked).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(asked.map((q) => q.text)).toEqual(['Vare']);
		asked[0].reply(['Varesh Daily']);
		await vi.waitFor(() => expect(answers).toEqual([[['Varesh Daily'], 'Vare']]));
	});

	it('aborts the question under way when asked again, and never delivers its answer', async () => {
		const { asked, fetch } = server();
		const answers: string[] = [];
		const failures: unknown[] = [];
		const search = searchAsYouType(fetch, (_result, text) => answers.push(text), (err) => failures.push(err));
		search.ask('Va', 0);
		await vi.advanceTimersByTimeAsync(0);
		expect(asked.map((q) => q.text)).toEqual(['Va']);
		search.ask('Varesh');
		expect(asked[0].signal.aborted).toBe(true);
		asked[0].reply(['Varesh Daily']); // an answer racing the abort is dropped too
		await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
		expect(asked.map((q) => q.text)).toEqual(['Va', 'Varesh']);
		expect(asked[1].signal.aborted).toBe(false);
		asked[1].reply(['Varesh Daily']);
		await vi.waitFor(() => expect(answers).toEqual(['Varesh']));
		expect(failures).toEqual([]); // an abort is no failure
	});

	it('cancel() drops the waiting question and aborts the one under way', async () => {
		const { asked, fetch } = server();
		const answers: string[] = [];
		const search = searchAsYouType(fetch, (_result, text) => answers.push(text));
		search.ask('Nerovia', 0);
		await vi.advanceTimersByTimeAsync(0);
		search.cancel();
		expect(asked[0].signal.aborted).toBe(true);
		search.ask('Basin');
		search.cancel();
		await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS * 2);
		expect(asked.map((q) => q.text)).toEqual(['Nerovia']);
		expect(answers).toEqual([]);
	});

	it('reports a failure of the latest question', async () => {
		const { asked, fetch } = server();
		const failures: [string, string][] = [];
		const search = searchAsYouType(fetch, () => {}, (err, text) => failures.push([(err as Error).message, text]));
		search.ask('Basin Watch', 0);
		await vi.advanceTimersByTimeAsync(0);
		asked[0].refuse(new Error('Galley cannot be reached'));
		await vi.waitFor(() => expect(failures).toEqual([['Galley cannot be reached', 'Basin Watch']]));
	});
});
