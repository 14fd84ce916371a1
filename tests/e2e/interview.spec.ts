// User stories for the bulletin's own pieces: building an interview by typing and by importing a
// transcript, citing from the source library with endnotes renumbering live between two people, and a
// hostile paste being reduced to the editor's schema. Two people are two SEPARATE browser contexts (two
// tabs of one context also sync through BroadcastChannel and share IndexedDB, which would hide a broken
// server).
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Browser, type Locator, type Page } from '@playwright/test';
import { EDITOR, SECOND_EDITOR, createPieceInUi, openPiece, useGalley } from './helpers';

// The machine running these is shared with other test runs: be patient, but only ever wait for something.
const SLOW = { timeout: 30_000 };

/** The interview part of the sample issue (from its lead-in to the end), as the bulletin prints it. */
function sampleInterview(): string {
	const sample = fs.readFileSync(path.resolve(process.cwd(), '../shared/sample-issue.txt'), 'utf8');
	const start = sample.indexOf('Terrorism Monitor *sat down');
	expect(start, 'the sample issue has the interview').toBeGreaterThan(0);
	return sample.slice(start);
}

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
		// The source library has Dawn, which the citation story picks.
		const res = await galley.editorApi.post('/api/sources', { name: 'Dawn', url: 'https://www.dawn.com/news/1' });
		expect(res.status, res.text).toBe(201);
	});

	/** Both people on one new piece: A (the editor) creates it through the UI, B (another editor) opens it. */
	async function twoPeopleOn(browser: Browser, title: string, kind: 'Interview' | 'Article') {
		const a = await galley.pageFor(browser, EDITOR);
		const pieceId = await createPieceInUi(a, galley, title, kind);
		const edA = await openPiece(a, galley, pieceId);
		const b = await galley.pageFor(browser, SECOND_EDITOR);
		const edB = await openPiece(b, galley, pieceId);
		return { a, b, edA, edB, pieceId };
	}

	async function markdownOf(page: Page, pieceId: string): Promise<string> {
		const res = await page.request.get(`${galley.url}/api/pieces/${pieceId}/content?format=markdown`);
		expect(res.status()).toBe(200);
		return res.text();
	}

	const turns = (page: Page) => page.locator('[data-testid=editor] .qa-block');

	/** The texts of some elements of the editor without the other people's caret labels drawn inside them. */
	const textsOf = (locator: Locator) =>
		locator.evaluateAll((els) =>
			els.map((el) => {
				const copy = el.cloneNode(true) as HTMLElement;
				copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
				return copy.textContent ?? '';
			})
		);

	test('an interview typed turn by turn: Enter hands the turn to the other speaker, Ctrl+Enter adds a paragraph, a renamed participant relabels live for the other person and in the Markdown', async ({
		browser
	}) => {
		const { a, b, pieceId } = await twoPeopleOn(browser, 'Interview with Dr. Antonio Giustozzi', 'Interview');

		// The template: TM asks, G answers; a lead-in; an empty question and an empty answer.
		await expect(turns(a)).toHaveCount(2, SLOW);
		await expect(turns(a).nth(0).locator('p').first()).toHaveAttribute('data-label', 'TM:');
		await expect(turns(a).nth(1).locator('p').first()).toHaveAttribute('data-label', 'G:');
		await expect(a.locator('[data-testid=editor] p.lead-in')).toContainText('Terrorism Monitor');
		await expect(turns(b)).toHaveCount(2, SLOW);

		// Rename the guest in the Participants panel: the label first, then the name.
		const label = a.getByLabel('Label of Guest', { exact: true });
		await label.fill('AG');
		await label.press('Tab');
		await expect(turns(a).nth(1).locator('p').first()).toHaveAttribute('data-label', 'AG:', SLOW);
		const name = a.getByLabel('Name of AG', { exact: true });
		await name.fill('Antonio Giustozzi');
		await name.press('Tab');
		await expect(a.getByLabel('Label of Antonio Giustozzi', { exact: true })).toHaveValue('AG');
		// B's editor relabels the guest's turn and B's panel shows the new participant.
		await expect(b.locator('[data-testid=editor] .qa-block p[data-label="AG:"]')).toHaveCount(1, SLOW);
		await expect(b.getByLabel('Label of Antonio Giustozzi', { exact: true })).toHaveValue('AG', SLOW);

		// The question, typed into the first turn; Enter at its end starts the guest's turn right after it.
		const question = 'Do you see the Taliban’s moderation as a recruiting boon for ISKP?';
		await turns(a).nth(0).locator('p').first().click();
		await a.keyboard.type(question);
		await a.keyboard.press('End');
		await a.keyboard.press('Enter');
		await expect(turns(a)).toHaveCount(3);
		await expect(turns(a).nth(1)).toHaveAttribute('data-qa', 'answer');
		await expect(turns(a).nth(1).locator('p').first()).toHaveAttribute('data-label', 'AG:');

		const answer = 'I do not see the Taliban engaging with the press as a significant driver.';
		const second = 'Russia and China are other controversial partners.';
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
		await expect(turns(b).nth(0).locator('p').first()).toHaveAttribute('data-label', 'TM:');
		await expect.poll(() => textsOf(turns(b).nth(1).locator('p')), SLOW).toEqual([answer, second]);
		await expect.poll(() => textsOf(b.locator('[data-testid=editor] .qa-block p[data-label="AG:"]'))).toEqual([answer, '']);
		await expect(turns(b).nth(1).locator('p').nth(1)).not.toHaveAttribute('data-label', /.*/);

		// The print form, rendered by the server from the live document.
		await expect
			.poll(async () => (await markdownOf(a, pieceId)).split('\n\n').map((p) => p.trim()), SLOW)
			.toEqual(expect.arrayContaining([`TM: ${question}`, `AG: ${answer}`, second]));
		const md = await markdownOf(a, pieceId);
		expect(md).toContain(`TM: ${question}\n\nAG: ${answer}\n\n${second}\n`);
		expect(md).not.toMatch(/^G: /m);
	});

	test('an interview built by importing the sample transcript prints exactly as the bulletin did (the issue’s acceptance check), for both people', async ({
		browser
	}) => {
		const { a, b, pieceId } = await twoPeopleOn(browser, 'Imported interview', 'Interview');
		const transcript = sampleInterview();

		await a.getByRole('button', { name: 'Import transcript…' }).click();
		const dialog = a.getByRole('dialog', { name: 'Import a transcript' });
		await dialog.getByLabel('Transcript', { exact: true }).fill(transcript);
		await dialog.getByRole('button', { name: 'Find speakers' }).click();

		// TM is the template's interviewer; AG is someone new, who answers.
		const tm = dialog.getByLabel('Participant for TM', { exact: true });
		await expect(tm).toBeVisible(SLOW);
		await tm.selectOption({ label: 'TM — Terrorism Monitor' });
		await dialog.getByLabel('Participant for AG', { exact: true }).selectOption({ label: 'New participant…' });
		await dialog.getByLabel('Name for AG', { exact: true }).fill('Antonio Giustozzi');
		await dialog.getByLabel('Role for AG', { exact: true }).selectOption({ label: 'answers' });
		await dialog.getByRole('button', { name: 'Import 14 turns' }).click();
		await expect(dialog.getByRole('status')).toHaveText('Imported 14 turns.', SLOW);
		await expect(dialog).toBeHidden(SLOW);

		// Both editors show the fourteen turns, labelled TM and AG alternately.
		for (const page of [a, b]) {
			await expect(turns(page)).toHaveCount(14, SLOW);
			await expect(page.locator('[data-testid=editor] .qa-block > p:first-child')).toHaveCount(14);
			const labels = await page.locator('[data-testid=editor] .qa-block > p:first-child').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-label')));
			expect(labels).toEqual(Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? 'TM:' : 'AG:')));
		}
		await expect(b.getByLabel('Name of AG', { exact: true })).toHaveValue('Antonio Giustozzi', SLOW);
		await expect(b.getByLabel('Role of AG', { exact: true })).toHaveValue('interviewee');
		// TM was mapped onto the template's interviewer, not added a second time.
		await expect(b.getByLabel('Name of TM', { exact: true })).toHaveCount(1);
		await expect(b.getByLabel('Name of TM', { exact: true })).toHaveValue('Terrorism Monitor');

		// The acceptance check: the Markdown is the sample's text.
		const expected = normalise(transcript);
		await expect.poll(async () => normalise(await markdownOf(b, pieceId)), SLOW).toBe(expected);
	});

	test('a citation picked from the source library and endnotes written by two people at once renumber live in text order', async ({ browser }) => {
		const { a, b, edA, edB, pieceId } = await twoPeopleOn(browser, 'Panjshir resistance', 'Article');

		// A writes at the end of the opening paragraph and cites Dawn from the library.
		const opening = a.locator('[data-testid=editor] p').first();
		await opening.click();
		await a.keyboard.press('End');
		await a.keyboard.type(' Fighters had not received weapons ');
		await a.getByRole('button', { name: 'Cite', exact: true }).click();
		const cite = a.getByRole('dialog', { name: 'Cite a source' });
		const source = cite.getByLabel('Source', { exact: true });
		await source.pressSequentially('Da');
		// The autocomplete offers the library's Dawn.
		await expect(cite.locator('#cite-sources option[value="Dawn"]')).toHaveCount(1, SLOW);
		await source.fill('Dawn');
		// Picking a library source fills in its link.
		await expect(cite.getByLabel('Link', { exact: true })).toHaveValue('https://www.dawn.com/news/1');
		await cite.getByLabel('Date as printed', { exact: true }).fill('August 26');

		// Meanwhile B types in another paragraph (the empty one after the heading).
		const bLast = b.locator('[data-testid=editor] p').last();
		await bLast.click();
		await b.keyboard.type('Tajikistan is one of the few lifelines.');

		await cite.getByRole('button', { name: 'Insert citation' }).click();
		await expect(cite).toBeHidden();
		const citation = a.locator('[data-testid=editor] a.citation');
		await expect(citation).toHaveText('Dawn');
		await expect(citation).toHaveAttribute('href', 'https://www.dawn.com/news/1');
		await expect(citation).toHaveAttribute('data-date', 'August 26');
		await expect(b.locator('[data-testid=editor] a.citation')).toContainText('Dawn', SLOW);
		await expect(a.locator('[data-testid=editor] p').last()).toContainText('Tajikistan is one of the few lifelines.', SLOW);

		// A adds an endnote after the citation and writes it in the Notes panel.
		const aNote = 'Dawn reported the complaint in an interview with Massoud.';
		await a.getByRole('button', { name: 'Note', exact: true }).click();
		const refsA = a.locator('[data-testid=editor] sup.endnote-ref');
		await expect(refsA).toHaveCount(1);
		await expect(refsA).toHaveAttribute('data-number', '1');
		await a.getByLabel('[1]', { exact: true }).fill(aNote);
		const refsB = b.locator('[data-testid=editor] sup.endnote-ref');
		await expect(refsB).toHaveCount(1, SLOW);
		await expect(b.getByLabel('[1]', { exact: true })).toHaveText(aNote, SLOW);

		// B puts a note at the very start of the piece: it becomes [1], A's becomes [2], in both editors.
		const bNote = 'Saleh had claimed the presidency after Ghani fled.';
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
		await expect.poll(() => markdownOf(a, pieceId), SLOW).toContain(`## Notes\n\n[1] ${bNote}\n\n[2] ${aNote}`);
		const md = await markdownOf(a, pieceId);
		expect(md).toContain('Fighters had not received weapons ([Dawn](https://www.dawn.com/news/1), August 26) [2]');
		expect(md).toMatch(/^\[1\]Open with the development/m);
		expect(md).toContain('Tajikistan is one of the few lifelines.');
	});

	test('two people typing in one endnote at the same moment both keep their words, in both Notes panels and in the print form', async ({ browser }) => {
		const { a, b, edA, edB, pieceId } = await twoPeopleOn(browser, 'Notes typed together', 'Article');

		// A adds a note at the end of the opening paragraph and starts its text in the Notes panel.
		await a.locator('[data-testid=editor] p').first().click();
		await a.keyboard.press('End');
		await a.getByRole('button', { name: 'Note', exact: true }).click();
		const fieldA = a.getByLabel('[1]', { exact: true });
		const fieldB = b.getByLabel('[1]', { exact: true });
		await fieldA.click();
		await a.keyboard.type('reported by Dawn');
		await expect(fieldB).toHaveText('reported by Dawn', SLOW);

		// Then both type in it at once: A at its start, B at its end, key by key.
		await fieldA.click();
		await a.keyboard.press('Home');
		await fieldB.click();
		await b.keyboard.press('End');
		await Promise.all([a.keyboard.type('Massoud, ', { delay: 40 }), b.keyboard.type(', August 26.', { delay: 40 })]);
		const merged = 'Massoud, reported by Dawn, August 26.';
		await expect(fieldA).toHaveText(merged, SLOW);
		await expect(fieldB).toHaveText(merged, SLOW);
		await expect(a.locator('[data-testid=editor] sup.endnote-ref')).toHaveAttribute('data-note', merged, SLOW);
		await expect(edA.save).toHaveText('Saved', SLOW);
		await expect(edB.save).toHaveText('Saved', SLOW);
		await expect.poll(() => markdownOf(a, pieceId), SLOW).toContain(`## Notes\n\n[1] ${merged}`);
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

		const editorHtml = (await ed.text.innerHTML()).toLowerCase();
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
