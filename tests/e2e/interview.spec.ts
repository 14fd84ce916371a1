// User stories for the bulletin's own pieces: building an interview by typing and by importing a
// transcript, citing from the source library with endnotes renumbering live between two people, and a
// hostile paste being reduced to the editor's schema. Two people are two SEPARATE browser contexts (two
// tabs of one context also sync through BroadcastChannel and share IndexedDB, which would hide a broken
// server).
import { test, expect, type Page } from '@playwright/test';
import { EDITOR, SECOND_EDITOR, createPieceInUi, markdownOf, openPiece, selectInEditor, textsOf, twoPeopleOn, useGalley } from './helpers';
import { bulletinInterview } from '../support/bulletin-issue';

// The machine running these is shared with other test runs: be patient, but only ever wait for something.
const SLOW = { timeout: 30_000 };

/** Compare print forms: trimmed, no trailing spaces on lines, runs of blank lines as one blank line. */
function normalise(text: string): string {
	return text
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((l) => l.trimEnd())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

test.describe('interviews, citations and endnotes', () => {
	test.describe.configure({ timeout: 120_000 });

	const galley = useGalley({ people: [[SECOND_EDITOR, 'editor']] });
	test.beforeAll(async () => {
		// The source library has Varesh Daily, which the citation story picks.
		const res = await galley.editorApi.post('/api/sources', { name: 'Varesh Daily', url: 'https://vareshdaily.example/news/1' });
		expect(res.status, res.text).toBe(201);
	});

	const turns = (page: Page) => page.locator('[data-testid=editor] .qa-block');

	test('an interview typed turn by turn: Enter hands the turn to the other speaker, Ctrl+Enter adds a paragraph, a renamed participant relabels live for the other person and in the Markdown', async ({
		browser
	}) => {
		const { a, b, pieceId } = await twoPeopleOn(browser, galley, 'Interview with Dr. Anneli Varga', 'Interview');

		// The template: BW asks, G answers; a lead-in; an empty question and an empty answer.
		await expect(turns(a)).toHaveCount(2, SLOW);
		await expect(turns(a).nth(0).locator('p').first()).toHaveAttribute('data-label', 'BW:');
		await expect(turns(a).nth(1).locator('p').first()).toHaveAttribute('data-label', 'G:');
		await expect(a.locator('[data-testid=editor] p.lead-in')).toHaveAttribute('data-placeholder', /^Basin Watch spoke with/);
		// the lead-in's prompt wraps to two lines here: the empty lead-in is as tall as its prompt, which never
		// runs over the first turn
		const lead = (await a.locator('[data-testid=editor] p.lead-in').boundingBox())!;
		const firstTurn = (await turns(a).nth(0).boundingBox())!;
		expect(lead.height).toBeGreaterThan(45);
		expect(lead.y + lead.height).toBeLessThanOrEqual(firstTurn.y + 1);
		await expect(turns(b)).toHaveCount(2, SLOW);

		// Rename the guest in the Participants panel: the label first, then the name.
		const label = a.getByLabel('Label of Guest', { exact: true });
		await label.fill('AV');
		await label.press('Tab');
		await expect(turns(a).nth(1).locator('p').first()).toHaveAttribute('data-label', 'AV:', SLOW);
		const name = a.getByLabel('Name of AV', { exact: true });
		await name.fill('Anneli Varga');
		await name.press('Tab');
		await expect(a.getByLabel('Label of Anneli Varga', { exact: true })).toHaveValue('AV');
		// B's editor relabels the guest's turn and B's panel shows the new participant.
		await expect(b.locator('[data-testid=editor] .qa-block p[data-label="AV:"]')).toHaveCount(1, SLOW);
		await expect(b.getByLabel('Label of Anneli Varga', { exact: true })).toHaveValue('AV', SLOW);

		// The question, typed into the first turn; Enter at its end starts the guest's turn right after it.
		const question = 'Could the pact’s success help the Amber Brigades recruit?';
		await turns(a).nth(0).locator('p').first().click();
		await a.keyboard.type(question);
		await a.keyboard.press('End');
		await a.keyboard.press('Enter');
		await expect(turns(a)).toHaveCount(3);
		await expect(turns(a).nth(1)).toHaveAttribute('data-qa', 'answer');
		await expect(turns(a).nth(1).locator('p').first()).toHaveAttribute('data-label', 'AV:');

		const answer = 'The gauging network on its own will not recruit anyone.';
		const second = 'Nerovia and Kessland are delicate partners too.';
		await a.keyboard.type(answer);
		await a.keyboard.press('Control+Enter');
		await a.keyboard.type(second);
		// Still one answer turn, now of two paragraphs, only the first labelled.
		await expect(turns(a)).toHaveCount(3);
		await expect.poll(() => textsOf(turns(a).nth(1).locator('p'))).toEqual([answer, second]);
		await expect(turns(a).nth(1).locator('p').nth(1)).not.toHaveAttribute('data-label', /.*/);

		// B sees the same turns, with the same labels, live.
		await expect(turns(b)).toHaveCount(3, SLOW);
		await expect.poll(() => textsOf(turns(b).nth(0).locator('p')), SLOW).toEqual([question]);
		await expect(turns(b).nth(0).locator('p').first()).toHaveAttribute('data-label', 'BW:');
		await expect.poll(() => textsOf(turns(b).nth(1).locator('p')), SLOW).toEqual([answer, second]);
		await expect.poll(() => textsOf(b.locator('[data-testid=editor] .qa-block p[data-label="AV:"]'))).toEqual([answer, '']);
		await expect(turns(b).nth(1).locator('p').nth(1)).not.toHaveAttribute('data-label', /.*/);

		// The print form, rendered by the server from the live document.
		await expect
			.poll(async () => (await markdownOf(a, galley, pieceId)).split('\n\n').map((p) => p.trim()), SLOW)
			.toEqual(expect.arrayContaining([`BW: ${question}`, `AV: ${answer}`, second]));
		const md = await markdownOf(a, galley, pieceId);
		expect(md).toContain(`BW: ${question}\n\nAV: ${answer}\n\n${second}\n`);
		expect(md).not.toMatch(/^G: /m);
	});

	test('Ctrl+Shift+Enter splits a turn at the caret and Backspace merges it back: in the middle, at the start of the first turn, at the end of the last, and right after a citation and an endnote; the other person sees every step', async ({
		browser
	}) => {
		const { a, b, pieceId } = await twoPeopleOn(browser, galley, 'Interview with the sluice keepers', 'Interview');
		const both = async (expected: string[][]) => {
			for (const page of [a, b]) {
				await expect.poll(async () => (await turns(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-qa')))).length, SLOW).toBe(expected.length);
				for (const [i, texts] of expected.entries()) await expect.poll(() => textsOf(turns(page).nth(i).locator('p')), SLOW).toEqual(texts);
			}
		};
		await expect(turns(a)).toHaveCount(2, SLOW);
		const question = 'Who opened the sluices?';
		const answer = 'The night shift opened them after the warning.';
		await turns(a).nth(0).locator('p').first().click();
		await a.keyboard.type(question);
		await turns(a).nth(1).locator('p').first().click();
		await a.keyboard.type(answer);
		await both([[question], [answer]]);

		// In the middle of the answer: two answers by the same speaker, the caret at the start of the second.
		await selectInEditor(a, 'The night shift opened them ');
		await a.keyboard.press('ArrowRight');
		await a.keyboard.press('Control+Shift+Enter');
		await both([[question], ['The night shift opened them '], ['after the warning.']]);
		await expect(turns(a).nth(2)).toHaveAttribute('data-qa', 'answer');
		await expect(turns(a).nth(2).locator('p').first()).toHaveAttribute('data-label', 'G:');
		await a.keyboard.type('only ');
		await both([[question], ['The night shift opened them '], ['only after the warning.']]);
		// Backspace at the start of a turn merges it into the turn before, as a paragraph of its own; a second
		// Backspace joins the two paragraphs.
		await a.keyboard.press('Home');
		await a.keyboard.press('Backspace');
		await both([[question], ['The night shift opened them ', 'only after the warning.']]);
		await a.keyboard.press('Backspace');
		await both([[question], ['The night shift opened them only after the warning.']]);

		// At the start of the first turn: an empty turn before it, the caret staying with the text.
		await turns(a).nth(0).locator('p').first().click();
		await a.keyboard.press('Home');
		await a.keyboard.press('Control+Shift+Enter');
		await both([[''], [question], ['The night shift opened them only after the warning.']]);
		await a.keyboard.press('Backspace'); // the empty turn before goes
		await both([[question], ['The night shift opened them only after the warning.']]);

		// Right after a citation at the end of the last turn: the citation stays, the new turn is empty.
		await turns(a).nth(1).locator('p').first().click();
		await a.keyboard.press('End');
		await a.keyboard.type(' ');
		await a.getByRole('button', { name: 'Cite', exact: true }).click();
		const cite = a.getByRole('dialog', { name: 'Cite a source' });
		await cite.getByLabel('Source', { exact: true }).fill('Tamsin Gazette');
		await cite.getByLabel('Link', { exact: true }).fill('https://tamsingazette.example/sluices');
		await cite.getByLabel('Date as printed', { exact: true }).fill('May 3');
		await cite.getByRole('button', { name: 'Insert citation' }).click();
		await expect(cite).toBeHidden();
		await expect(turns(a).nth(1).locator('a.citation')).toHaveText('Tamsin Gazette');
		await a.keyboard.press('Control+Shift+Enter');
		await a.keyboard.type('The gates were shut by dawn.');
		// (an inserted citation is followed by a space to type on: the caret was after it)
		await both([[question], ['The night shift opened them only after the warning. Tamsin Gazette '], ['The gates were shut by dawn.']]);
		await expect(turns(b).nth(1).locator('a.citation')).toHaveText('Tamsin Gazette', SLOW);
		await expect(turns(b).nth(2).locator('a.citation')).toHaveCount(0);

		// Right after an endnote: the note stays in the turn before, numbered as before.
		await a.getByRole('button', { name: 'Note', exact: true }).click();
		await a.getByLabel('[1]', { exact: true }).fill('The gate log was seen by Basin Watch.');
		await turns(a).nth(2).locator('p').first().click();
		await a.keyboard.press('End');
		await a.keyboard.press('Control+Shift+Enter');
		await a.keyboard.type('Nobody was hurt.');
		await expect(turns(a)).toHaveCount(4, SLOW);
		await expect(turns(a).nth(2).locator('sup.endnote-ref')).toHaveAttribute('data-number', '1');
		await expect(turns(b).nth(2).locator('sup.endnote-ref')).toHaveAttribute('data-number', '1', SLOW);
		await expect.poll(() => textsOf(turns(b).nth(3).locator('p')), SLOW).toEqual(['Nobody was hurt.']);
		// and merging it back keeps the note where it was
		await a.keyboard.press('Home');
		await a.keyboard.press('Backspace');
		await a.keyboard.press('Backspace');
		await expect(turns(a)).toHaveCount(3);
		await expect(turns(a).nth(2).locator('p')).toHaveCount(1);
		await expect(turns(a).nth(2).locator('sup.endnote-ref')).toHaveAttribute('data-number', '1');
		await expect(turns(b)).toHaveCount(3, SLOW);

		// The print form, from the server's copy.
		await expect
			.poll(() => markdownOf(a, galley, pieceId), SLOW)
			.toContain('G: The gates were shut by dawn.[1]Nobody was hurt.'); // joined as two paragraphs join: no space added
		const md = await markdownOf(a, galley, pieceId);
		expect(md).toContain(`BW: ${question}\n\nG: The night shift opened them only after the warning. ([Tamsin Gazette](https://tamsingazette.example/sluices), May 3)`);
		expect(md).toContain('G: The gates were shut by dawn.[1]Nobody was hurt.\n');
		expect(md.match(/^G: /gm)).toHaveLength(2);
		expect(md).toContain('[1] The gate log was seen by Basin Watch.');
	});

	test('an interview built by importing the bulletin’s transcript prints exactly as the bulletin does (the issue’s acceptance check), for both people', async ({
		browser
	}) => {
		const { a, b, pieceId } = await twoPeopleOn(browser, galley, 'Imported interview', 'Interview');
		const transcript = bulletinInterview();

		await a.getByRole('button', { name: 'Import transcript…' }).click();
		const dialog = a.getByRole('dialog', { name: 'Import a transcript' });
		await dialog.getByLabel('Transcript', { exact: true }).fill(transcript);
		await dialog.getByRole('button', { name: 'Find speakers' }).click();

		// BW is the template's interviewer; AV is someone new, who answers.
		const bw = dialog.getByLabel('Participant for BW', { exact: true });
		await expect(bw).toBeVisible(SLOW);
		await bw.selectOption({ label: 'BW — Basin Watch' });
		await dialog.getByLabel('Participant for AV', { exact: true }).selectOption({ label: 'New participant…' });
		await dialog.getByLabel('Name for AV', { exact: true }).fill('Anneli Varga');
		await dialog.getByLabel('Role for AV', { exact: true }).selectOption({ label: 'answers' });
		await dialog.getByRole('button', { name: 'Import 12 turns' }).click();
		await expect(a.getByTestId('transcript-imported')).toHaveText('Imported 12 turns.', SLOW);
		await expect(dialog).toBeHidden(SLOW);

		// Both editors show the twelve turns, labelled BW and AV alternately.
		for (const page of [a, b]) {
			await expect(turns(page)).toHaveCount(12, SLOW);
			await expect(page.locator('[data-testid=editor] .qa-block > p:first-child')).toHaveCount(12);
			const labels = await page.locator('[data-testid=editor] .qa-block > p:first-child').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-label')));
			expect(labels).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'BW:' : 'AV:')));
		}
		await expect(b.getByLabel('Name of AV', { exact: true })).toHaveValue('Anneli Varga', SLOW);
		await expect(b.getByLabel('Role of AV', { exact: true })).toHaveValue('interviewee');
		// BW was mapped onto the template's interviewer, not added a second time.
		await expect(b.getByLabel('Name of BW', { exact: true })).toHaveCount(1);
		await expect(b.getByLabel('Name of BW', { exact: true })).toHaveValue('Basin Watch');

		// The acceptance check: the Markdown is the bulletin's text.
		const expected = normalise(transcript);
		await expect.poll(async () => normalise(await markdownOf(b, galley, pieceId)), SLOW).toBe(expected);
	});

	test('a citation picked from the source library and endnotes written by two people at once renumber live in text order', async ({ browser }) => {
		const { a, b, edA, edB, pieceId } = await twoPeopleOn(browser, galley, 'Sabotage on the Varesh Canal', 'Article');

		// A writes at the end of the opening paragraph and cites Varesh Daily from the library.
		const opening = a.locator('[data-testid=editor] p').first();
		await opening.click();
		await a.keyboard.press('End');
		await a.keyboard.type(' The embankment was cut in two places ');
		// The library is asked once typing pauses: count what the dialog asks for.
		const asked: string[] = [];
		a.on('request', (req) => {
			const url = new URL(req.url());
			if (url.pathname === '/api/sources' && req.method() === 'GET') asked.push(url.searchParams.get('q') ?? '');
		});
		await a.getByRole('button', { name: 'Cite', exact: true }).click();
		const cite = a.getByRole('dialog', { name: 'Cite a source' });
		const source = cite.getByLabel('Source', { exact: true });
		await expect.poll(() => asked, SLOW).toEqual(['']); // opening the dialog lists the library
		// Typed quickly, "Vare" makes one request, for "Vare" (not V, Va, Var).
		await source.pressSequentially('Vare');
		await expect.poll(() => asked, SLOW).toEqual(['', 'Vare']);
		// The autocomplete offers the library's Varesh Daily.
		await expect(cite.locator('#cite-sources option[value="Varesh Daily"]')).toHaveCount(1, SLOW);
		await source.fill('Varesh Daily');
		// Picking a library source fills in its link.
		await expect(cite.getByLabel('Link', { exact: true })).toHaveValue('https://vareshdaily.example/news/1');
		await cite.getByLabel('Date as printed', { exact: true }).fill('March 12');

		// Meanwhile B types in another paragraph (the empty one after the heading).
		const bLast = b.locator('[data-testid=editor] p').last();
		await bLast.click();
		await b.keyboard.type('A joint patrol would need both parliaments.');

		await cite.getByRole('button', { name: 'Insert citation' }).click();
		await expect(cite).toBeHidden();
		const citation = a.locator('[data-testid=editor] a.citation');
		await expect(citation).toHaveText('Varesh Daily');
		await expect(citation).toHaveAttribute('href', 'https://vareshdaily.example/news/1');
		await expect(citation).toHaveAttribute('data-date', 'March 12');
		await expect(b.locator('[data-testid=editor] a.citation')).toContainText('Varesh Daily', SLOW);
		await expect(a.locator('[data-testid=editor] p').last()).toContainText('A joint patrol would need both parliaments.', SLOW);

		// A adds an endnote after the citation and writes it in the Notes panel.
		const aNote = 'Varesh Daily quoted the warden’s letter in full.';
		await a.getByRole('button', { name: 'Note', exact: true }).click();
		const refsA = a.locator('[data-testid=editor] sup.endnote-ref');
		await expect(refsA).toHaveCount(1);
		await expect(refsA).toHaveAttribute('data-number', '1');
		await a.getByLabel('[1]', { exact: true }).fill(aNote);
		const refsB = b.locator('[data-testid=editor] sup.endnote-ref');
		await expect(refsB).toHaveCount(1, SLOW);
		await expect(b.getByLabel('[1]', { exact: true })).toHaveText(aNote, SLOW);

		// B puts a note at the very start of the piece: it becomes [1], A's becomes [2], in both editors.
		const bNote = 'The pact was signed eleven days before the breach.';
		await edB.text.click();
		await b.keyboard.press('Control+Home');
		await b.getByRole('button', { name: 'Note', exact: true }).click();
		await expect(refsB).toHaveCount(2);
		await b.getByLabel('[1]', { exact: true }).fill(bNote);

		const numbered = (refs: typeof refsA) => refs.evaluateAll((els) => els.map((e) => [e.getAttribute('data-number'), e.getAttribute('data-note')]));
		for (const [page, refs] of [
			[a, refsA],
			[b, refsB]
		] as const) {
			await expect.poll(() => numbered(refs), SLOW).toEqual([
				['1', bNote],
				['2', aNote]
			]);
			await expect(page.getByLabel('[1]', { exact: true })).toHaveText(bNote, SLOW);
			await expect(page.getByLabel('[2]', { exact: true })).toHaveText(aNote, SLOW);
		}
		await expect(edA.save).toHaveText('Saved', SLOW);
		await expect(edB.save).toHaveText('Saved', SLOW);

		// The print form: the citation with its parentheses and date, the numbers, the Notes in text order.
		await expect.poll(() => markdownOf(a, galley, pieceId), SLOW).toContain(`## Notes\n\n[1] ${bNote}\n\n[2] ${aNote}`);
		const md = await markdownOf(a, galley, pieceId);
		expect(md).toContain('The embankment was cut in two places ([Varesh Daily](https://vareshdaily.example/news/1), March 12) [2]');
		expect(md).toMatch(/^\[1\] The embankment was cut in two places/m);
		expect(md).toContain('A joint patrol would need both parliaments.');
	});

	test('pasted hostile HTML is reduced to the schema: no script runs, and no script, style, image or javascript: link reaches the editor or the stored content', async ({
		browser
	}) => {
		const page = await galley.pageFor(browser, EDITOR);
		const pieceId = await createPieceInUi(page, galley, 'Pasted from the web', 'Article');
		const ed = await openPiece(page, galley, pieceId);

		const hostile =
			'<p>ok<script>window.__pwned=1</script><a href="javascript:alert(1)">x</a>' +
			'<img src=x onerror="window.__pwned=1"><style>p{color:red}</style>' +
			'<a data-citation data-source="Evil" data-date="May 1" href="javascript:alert(2)">Evil</a>' +
			'<a href="  JaVaScRiPt:alert(3)">y</a><svg><script>window.__pwned=1</script></svg>' +
			'<iframe src="javascript:window.parent.__pwned=1"></iframe><span onclick="window.__pwned=1">done</span></p>';
		await page.locator('[data-testid=editor] p').last().click();
		await ed.text.evaluate((el, html) => {
			const data = new DataTransfer();
			data.setData('text/html', html);
			data.setData('text/plain', 'ok x Evil y done');
			el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
		}, hostile);

		// The pasted text is there…
		await expect(ed.text).toContainText('okxEvilydone');
		// …and is stored (so any image error or script had its chance to run by now).
		await expect
			.poll(async () => (await page.request.get(`${galley.url}/api/pieces/${pieceId}/content?format=json`)).text(), SLOW)
			.toContain('ydone');
		expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();

		// the text as pasted: without ProseMirror's own separator images and the editor's "Assign…" beside headings
		const editorHtml = (
			await ed.text.evaluate((el) => {
				const copy = el.cloneNode(true) as HTMLElement;
				copy.querySelectorAll('img.ProseMirror-separator, .section-assignees').forEach((c) => c.remove());
				return copy.innerHTML;
			})
		).toLowerCase();
		for (const bad of ['<script', '<style', '<img', '<svg', '<iframe', 'javascript:', 'onerror', 'onclick']) {
			expect(editorHtml, `editor DOM has ${bad}`).not.toContain(bad);
		}
		await expect(page.locator('[data-testid=editor] a[href]')).toHaveCount(0);

		for (const format of ['html', 'json', 'markdown']) {
			const res = await page.request.get(`${galley.url}/api/pieces/${pieceId}/content?format=${format}`);
			expect(res.status()).toBe(200);
			const body = (await res.text()).toLowerCase();
			for (const bad of ['javascript:', '<script', '<img', '<style', 'onerror']) {
				expect(body, `content as ${format} has ${bad}`).not.toContain(bad);
			}
		}
		await expect(ed.save).toHaveText('Saved', SLOW);
	});
});
