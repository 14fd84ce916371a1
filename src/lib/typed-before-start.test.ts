// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { restoreTypingBeforeStart, watchTypingBeforeStart } from './typed-before-start';

/** A server-rendered new-piece form: an empty title and a kind select defaulting to Article. */
function serverForm() {
	document.body.innerHTML = `
		<form><input id="title" name="title" value="">
		<select id="kind" name="kind"><option value="brief">Brief</option><option value="article" selected>Article</option><option value="interview">Interview</option></select>
		<input id="other" name="other" value="as rendered"></form>`;
	return {
		title: document.getElementById('title') as HTMLInputElement,
		kind: document.getElementById('kind') as HTMLSelectElement,
		other: document.getElementById('other') as HTMLInputElement
	};
}

/** What Svelte's hydration does to a `value={…}` field: writes the rendered value into it. */
function startApp(form: ReturnType<typeof serverForm>) {
	form.title.value = '';
	form.kind.value = 'article';
	form.other.value = 'as rendered';
}

function type(field: HTMLInputElement | HTMLSelectElement, value: string) {
	field.value = value;
	field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

/** A click on a checkbox or radio button: its new state, and the `change` it fires. */
function click(box: HTMLInputElement, on = true) {
	box.checked = on;
	box.dispatchEvent(new Event('change', { bubbles: true }));
}

/** The app has started: restore, and what it announced to the page, as `<event> <field id>`. */
function restoreAndListen(...types: string[]): string[] {
	const seen: string[] = [];
	const listen = (e: Event) => seen.push(`${e.type} ${(e.target as HTMLElement).id}`);
	for (const t of types) document.addEventListener(t, listen);
	restoreTypingBeforeStart();
	for (const t of types) document.removeEventListener(t, listen);
	return seen;
}

describe('what is typed before the app has started', () => {
	afterEach(() => restoreTypingBeforeStart());

	it('is kept when typed before the watch began (the scripts were still loading)', () => {
		const form = serverForm();
		form.title.value = 'Sabotage on the Varesh Canal';
		form.kind.value = 'interview';
		watchTypingBeforeStart();
		startApp(form);
		restoreTypingBeforeStart();
		expect(form.title.value).toBe('Sabotage on the Varesh Canal');
		expect(form.kind.value).toBe('interview');
	});

	it('is kept when typed while the app was starting, up to the last keystroke', () => {
		const form = serverForm();
		watchTypingBeforeStart();
		type(form.title, 'Sabotage');
		type(form.title, 'Sabotage on the canal');
		type(form.kind, 'brief');
		startApp(form);
		restoreTypingBeforeStart();
		expect(form.title.value).toBe('Sabotage on the canal');
		expect(form.kind.value).toBe('brief');
	});

	it('leaves untouched fields and what is typed after the start to the app', () => {
		const form = serverForm();
		watchTypingBeforeStart();
		startApp(form);
		restoreTypingBeforeStart();
		expect(form.other.value).toBe('as rendered');
		type(form.title, 'typed after the start');
		form.title.value = ''; // the app empties its form after a submit: not undone
		restoreTypingBeforeStart();
		expect(form.title.value).toBe('');
	});

	it("is announced to the page's handlers once it has started: a choice made while it started is acted on", () => {
		const form = serverForm();
		watchTypingBeforeStart(document, 'navigate');
		type(form.kind, 'brief'); // no handler yet: the app has not started
		startApp(form);
		expect(restoreAndListen('input', 'change')).toEqual(['input kind', 'change kind']);
		expect(form.kind.value).toBe('brief');
	});

	it('announces a field found changed on a fresh navigation, not one a reload may have refilled', () => {
		for (const [navigation, announced] of [['navigate', ['input title']], ['reload', []], ['back_forward', []]] as const) {
			const form = serverForm();
			form.title.value = 'Sabotage on the Varesh Canal';
			watchTypingBeforeStart(document, navigation);
			startApp(form);
			const seen = restoreAndListen('input');
			expect(form.title.value, navigation).toBe('Sabotage on the Varesh Canal');
			expect(seen, navigation).toEqual(announced);
		}
	});

	it('keeps a ticked box and a chosen radio button, and announces them as a click would', () => {
		document.body.innerHTML = `<input id="mail" type="checkbox" checked>
			<input id="link" type="radio" name="mode" value="link" checked><input id="pw" type="radio" name="mode" value="password">`;
		const [mail, link, pw] = ['mail', 'link', 'pw'].map((id) => document.getElementById(id) as HTMLInputElement);
		watchTypingBeforeStart(document, 'navigate');
		click(mail, false);
		click(pw);
		// the app starts and writes what the server rendered
		mail.checked = true;
		link.checked = true;
		const seen = restoreAndListen('change');
		expect([mail.checked, link.checked, pw.checked]).toEqual([false, false, true]);
		expect(seen.sort()).toEqual(['change mail', 'change pw']);
	});

	it('announces the radio button chosen last, after back-and-forth clicks, and forgets a change undone', () => {
		document.body.innerHTML = `<form><input id="link" type="radio" name="mode" value="link" checked><input id="pw" type="radio" name="mode" value="password">
			<input id="mail" type="checkbox" checked></form>`;
		const [link, pw, mail] = ['link', 'pw', 'mail'].map((id) => document.getElementById(id) as HTMLInputElement);
		watchTypingBeforeStart(document, 'navigate');
		click(pw);
		click(link);
		click(pw);
		click(mail, false);
		click(mail, true); // undone: as the server rendered it
		// the app starts and writes what the server rendered
		link.checked = true;
		const seen = restoreAndListen('change');
		expect([link.checked, pw.checked, mail.checked]).toEqual([false, true, true]);
		expect(seen).toEqual(['change pw']);
	});

	it('takes a select with no option marked selected as showing its first: not a choice, not announced', () => {
		document.body.innerHTML = `<select id="role"><option value="contributor">Contributor</option><option value="editor">Editor</option></select>`;
		const role = document.getElementById('role') as HTMLSelectElement;
		watchTypingBeforeStart(document, 'navigate');
		expect(restoreAndListen('input', 'change')).toEqual([]);
		expect(role.value).toBe('contributor');
	});

	it('does not keep a password', () => {
		document.body.innerHTML = '<input id="pw" type="password" value="">';
		const pw = document.getElementById('pw') as HTMLInputElement;
		watchTypingBeforeStart();
		type(pw, 'secret');
		pw.value = '';
		restoreTypingBeforeStart();
		expect(pw.value).toBe('');
	});
});
