// What a person types into a page's forms before the app has started in it is kept.
//
// A server-rendered form works before the app's scripts have run, and people type into it. When the app then
// starts (hydration), Svelte writes each field's `value={…}` into the element it adopts, and a title typed
// before that was wiped: the form was then sent empty ("Enter a title") though the person had filled it in.
// `watchTypingBeforeStart` (hooks.client.ts `init`, before the first render) notes every field that differs
// from the server's HTML and every field changed until the app has started; `restoreTypingBeforeStart` (the
// root layout's mount, after every page component has hydrated) puts those values back.

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** The typed state of a field: its text, or, for a select, which options are chosen. */
type Typed = { value: string } | { selected: boolean[] };

const typed = new Map<Field, Typed>();
let watching = false;

const UNTYPED_INPUTS = new Set(['hidden', 'file', 'submit', 'button', 'reset', 'image', 'password']);

function isField(el: EventTarget | null): el is Field {
	if (el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) return true;
	return el instanceof HTMLInputElement && !UNTYPED_INPUTS.has(el.type) && el.type !== 'checkbox' && el.type !== 'radio';
}

function stateOf(field: Field): Typed {
	return field instanceof HTMLSelectElement ? { selected: [...field.options].map((o) => o.selected) } : { value: field.value };
}

/** Differs from the server's HTML (the `value`/`selected` attributes are the defaults). */
function changedFromHtml(field: Field): boolean {
	if (field instanceof HTMLSelectElement) return [...field.options].some((o) => o.selected !== o.defaultSelected);
	return field.value !== field.defaultValue;
}

function note(event: Event) {
	if (isField(event.target)) typed.set(event.target, stateOf(event.target));
}

/** Start noting what is typed (passwords are never kept: they are not read here). */
export function watchTypingBeforeStart(doc: Document = document): void {
	if (watching) return;
	watching = true;
	for (const el of doc.querySelectorAll('input, textarea, select')) {
		if (isField(el) && changedFromHtml(el)) typed.set(el, stateOf(el));
	}
	doc.addEventListener('input', note, true);
	doc.addEventListener('change', note, true);
}

/** The app has started: put back what was typed where starting it changed the field; stop watching. */
export function restoreTypingBeforeStart(doc: Document = document): void {
	if (!watching) return;
	watching = false;
	doc.removeEventListener('input', note, true);
	doc.removeEventListener('change', note, true);
	for (const [field, state] of typed) {
		if (!field.isConnected) continue;
		if ('value' in state) {
			if (field.value !== state.value) field.value = state.value;
		} else if (field instanceof HTMLSelectElement) {
			state.selected.forEach((on, i) => {
				const option = field.options[i];
				if (option && option.selected !== on) option.selected = on;
			});
		}
	}
	typed.clear();
}
