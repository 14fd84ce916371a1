// The pages' forms are SvelteKit form actions (progressive enhancement: they work before the app has started
// in the page, or without JavaScript). This is how they are enhanced once it has.
import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance={keepValues((on) => (busy = on))}`: `busy` while the form is sent; a refused submit keeps what
 * was typed (the page shows the action's `form` failure); a success goes where the action says (redirect) or
 * re-reads the page's data and, unless `reset` is false, empties the form.
 */
export function keepValues(busy: (on: boolean) => void = () => {}, opts: { reset?: boolean } = {}): SubmitFunction {
	return () => {
		busy(true);
		return async ({ result, update }) => {
			await update({ reset: result.type === 'success' && opts.reset !== false });
			busy(false);
		};
	};
}

/** A refused submit, as an action answers it (server/api/form-action.ts FormFailure). */
export type Failure = { field: string | null; message: string; values: Record<string, string> };

/**
 * The refusal of one of a page's forms, told apart by its hidden `form` field (a page's `form` prop is the
 * last action's answer, whichever form sent it), or null.
 */
export function failureOf(answer: unknown, name: string): Failure | null {
	if (!answer || typeof answer !== 'object' || !('message' in answer) || !('values' in answer)) return null;
	const failure = answer as Failure;
	return failure.values.form === name ? failure : null;
}
