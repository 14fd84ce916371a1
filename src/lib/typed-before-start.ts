// What a person types into a page's forms before the app has started in it is kept.
//
// A server-rendered form works before the app's scripts have run, and people type into it. When the app then
// starts (hydration), Svelte writes each field's `value={…}` into the element it adopts, and a title typed
// before that was wiped: the form was then sent empty ("Enter a title") though the person had filled it in.
// `watchTypingBeforeStart` (hooks.client.ts `init`, before the first render) notes every field that differs
// from the server's HTML and every field changed until the app has started; `restoreTypingBeforeStart` (the
// root layout's mount, after every page component has hydrated) puts those values back, and tells the page's
// handlers, which were not there yet when the person typed or chose: a role chosen in a select whose `onchange`
// sends its form is sent then, a `bind:value` reads the restored text.

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** The typed state of a field: its text; for a select, which options are chosen; for a box, whether ticked. */
type Typed = { value: string } | { selected: boolean[] } | { checked: boolean };

const typed = new Map<Field, Typed>();
/** Fields found changed when the watch began, which a back/forward or reload may have filled in itself. */
const foundChanged = new Set<Field>();
/** Whether the fields found changed were the person's (a fresh navigation), so are announced too. */
let foundArePersons = true;
let watching = false;

const UNTYPED_INPUTS = new Set(['hidden', 'file', 'submit', 'button', 'reset', 'image', 'password']);

function isField(el: EventTarget | null): el is Field {
	if (el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) return true;
	return el instanceof HTMLInputElement && !UNTYPED_INPUTS.has(el.type);
}

/** A checkbox or radio button: what it holds is whether it is ticked, and ticking it fires `change`. */
function isBox(field: Field): field is HTMLInputElement {
	return field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio');
}

function stateOf(field: Field): Typed {
	if (field instanceof HTMLSelectElement) return { selected: [...field.options].map((o) => o.selected) };
	return isBox(field) ? { checked: field.checked } : { value: field.value };
}

/** Differs from the server's HTML (the `value`/`selected` attributes are the defaults). */
function changedFromHtml(field: Field): boolean {
	if (field instanceof HTMLSelectElement) {
		// an option's `selected` attribute is its defaultSelected (read as the attribute: happy-dom lacks the property)
		const options = [...field.options];
		if (field.multiple) return options.some((o) => o.selected !== o.hasAttribute('selected'));
		// a single select shows the last option marked selected, or with none marked its first enabled one
		const marked = options.findLastIndex((o) => o.hasAttribute('selected'));
		return field.selectedIndex !== (marked >= 0 ? marked : options.findIndex((o) => !o.disabled));
	}
	if (isBox(field)) return field.checked !== field.hasAttribute('checked');
	return field.value !== field.defaultValue;
}

/** A radio button's group (same name, same form: ticking one unticks the others, which fire nothing), else the field. */
function groupOf(field: Field): Field[] {
	if (!(field instanceof HTMLInputElement) || field.type !== 'radio' || !field.name) return [field];
	const radios = (field.form ?? field.ownerDocument).querySelectorAll<HTMLInputElement>('input[type="radio"]');
	return [...radios].filter((r) => r.name === field.name && r.form === field.form);
}

/**
 * A field changed: it (with a radio, its whole group) is noted as it is now, last changed last, or forgotten
 * when it is back to what the server rendered (nothing to put back, nothing to announce).
 */
function note(event: Event) {
	if (!isField(event.target)) return;
	for (const field of groupOf(event.target)) {
		typed.delete(field);
		foundChanged.delete(field);
		if (changedFromHtml(field)) typed.set(field, stateOf(field));
	}
}

/** How the page was reached: after a reload or back/forward the browser itself may have refilled its fields. */
function navigationType(): string {
	const entry = globalThis.performance?.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
	return entry?.type ?? 'navigate';
}

/**
 * Start noting what is typed (passwords are never kept: they are not read here). `navigation` is how the page
 * was reached (the Navigation Timing type): on a reload or back/forward, fields found already changed are put
 * back but not announced, since the browser may have refilled them with what was sent long ago.
 */
export function watchTypingBeforeStart(doc: Document = document, navigation: string = navigationType()): void {
	if (watching) return;
	watching = true;
	foundArePersons = navigation === 'navigate';
	for (const el of doc.querySelectorAll('input, textarea, select')) {
		if (!isField(el) || !changedFromHtml(el)) continue;
		typed.set(el, stateOf(el));
		foundChanged.add(el);
	}
	doc.addEventListener('input', note, true);
	doc.addEventListener('change', note, true);
}

/**
 * The app has started: put back what was typed where starting it changed the field, and announce every such
 * field to the page as if typed now (`input`; a select or a box also `change`, as a choice fires both); stop watching.
 */
export function restoreTypingBeforeStart(doc: Document = document): void {
	if (!watching) return;
	watching = false;
	doc.removeEventListener('input', note, true);
	doc.removeEventListener('change', note, true);
	const announceable: Field[] = [];
	for (const [field, state] of typed) {
		if (!field.isConnected) continue;
		if (foundArePersons || !foundChanged.has(field)) announceable.push(field);
		if ('checked' in state) {
			if (isBox(field) && field.checked !== state.checked) field.checked = state.checked;
		} else if ('value' in state) {
			if (field.value !== state.value) field.value = state.value;
		} else if (field instanceof HTMLSelectElement) {
			state.selected.forEach((on, i) => {
				const option = field.options[i];
				if (option && option.selected !== on) option.selected = on;
			});
		}
	}
	typed.clear();
	foundChanged.clear();
	// a radio button unticked by the ticking of another is not announced (it fired nothing when it happened)
	const announce = announceable.filter((f) => !(f instanceof HTMLInputElement && f.type === 'radio' && !f.checked));
	for (const field of announce) {
		field.dispatchEvent(new Event('input', { bubbles: true }));
		if (field instanceof HTMLSelectElement || isBox(field)) field.dispatchEvent(new Event('change', { bubbles: true }));
	}
}
