// User stories for importing a transcript into an interview, and for what a new piece starts with: the
// label-mapping dialog (printed labels, the lead-in, append or replace, turns already there), files that
// are not transcripts (blank, binary, a whole bulletin issue), template prompts as placeholders and the
// interview-only toolbar buttons. Two people are two SEPARATE browser contexts.
import { test, expect, type Page } from '@playwright/test';
import { SECOND_EDITOR, createPieceInUi, markdownOf, openPiece, pieceText, textsOf, twoPeopleOn, useGalley } from './helpers';
import { bulletinIssue } from '../support/bulletin-issue';

// The machine running these is shared with other test runs: be patient, but only ever wait for something.
const SLOW = { timeout: 30_000 };

/** Six turns of an otter.ai-style transcript: "Speaker 1  00:00:01" alone on a line, the words below. */
const SPEAKER_TRANSCRIPT = [
	['Speaker 1', '00:00:01', 'Why did the embankment on the Varesh Canal fail?'],
	['Speaker 2', '00:00:06', 'It did not fail. It was cut, in two places, at night, with machinery.'],
	['Speaker 1', '00:00:15', 'Who cut it?'],
	['Speaker 2', '00:00:18', 'Nobody has claimed it, and the Amber Brigades deny it.'],
	['Speaker 1', '00:00:25', 'What does it mean for the Sorrin Water Pact?'],
	['Speaker 2', '00:00:31', 'Its first summer will tell. The patrols matter more than the water lost.']
];
const otter = SPEAKER_TRANSCRIPT.map(([who, at, words]) => `${who}  ${at}\n${words}`).join('\n\n');

/** The same six turns labelled BW and AV, as the bulletin prints them. */
const BW_AV_TRANSCRIPT = SPEAKER_TRANSCRIPT.map(([who, , words]) => `${who === 'Speaker 1' ? 'BW' : 'AV'}: ${words}`).join('\n\n');

/** The lead-in written in the dialog at a first import, and the one a later transcript brings along. */
const PIECE_LEAD_IN = 'Basin Watch spoke with Dr. Anneli Varga about the breach.';
const TRANSCRIPT_LEAD_IN = '*Dr. Varga spoke to us by telephone from Kettering.*';

test.describe('importing a transcript, and what a new piece starts with', () => {
	test.describe.configure({ timeout: 120_000 });

	const galley = useGalley({ people: [[SECOND_EDITOR, 'editor']] });

	const turns = (page: Page) => page.locator('[data-testid=editor] .qa-block');
	const labelsOf = (page: Page) => page.locator('[data-testid=editor] .qa-block > p:first-child').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-label')));

	/** Open the import dialog, paste `transcript` (typed into the box as a paste would put it) and find its speakers. */
	async function pasteTranscript(page: Page, transcript: string) {
		await page.getByRole('button', { name: 'Import transcript…' }).click();
		const dialog = page.getByRole('dialog', { name: 'Import a transcript' });
		await dialog.getByLabel('Transcript', { exact: true }).fill(transcript);
		await dialog.getByRole('button', { name: 'Find speakers' }).click();
		return dialog;
	}

	test('the dialog sets how each speaker prints: "Speaker 1" and "Speaker 2" become BW and AV, under a lead-in written in the dialog, for both people and in the Markdown', async ({
		browser
	}) => {
		const { a, b, pieceId } = await twoPeopleOn(browser, galley, 'The canal breach, from a recording', 'Interview');
		const dialog = await pasteTranscript(a, otter);

		// Speaker 1 is the bulletin (the template's interviewer, printed BW); Speaker 2 is someone new, printed AV.
		const one = dialog.getByLabel('Participant for Speaker 1', { exact: true });
		await expect(one).toBeVisible(SLOW);
		await one.selectOption({ label: 'BW — Basin Watch' });
		await expect(dialog.getByLabel('Printed label for Speaker 1', { exact: true })).toHaveValue('BW');
		await dialog.getByLabel('Participant for Speaker 2', { exact: true }).selectOption({ label: 'New participant…' });
		await dialog.getByLabel('Name for Speaker 2', { exact: true }).fill('Anneli Varga');
		await dialog.getByLabel('Role for Speaker 2', { exact: true }).selectOption({ label: 'answers' });
		const printed = dialog.getByLabel('Printed label for Speaker 2', { exact: true });
		await expect(printed).toHaveValue('Speaker 2');
		await printed.fill('AV');

		// The transcript has no lead-in: the piece's (the template's, empty) is offered, or one is written.
		await expect(dialog.getByLabel('Use the transcript’s lead-in')).toHaveCount(0);
		await expect(dialog.getByLabel('Keep the piece’s lead-in')).toBeChecked();
		await dialog.getByLabel('Write one').check();
		const leadIn = dialog.getByLabel('Lead-in', { exact: true });
		await leadIn.click();
		await a.keyboard.type('Basin Watch *spoke with Dr. Anneli Varga about the breach of the Varesh Canal.*', { delay: 5 });
		await dialog.getByRole('button', { name: 'Import 6 turns' }).click();
		await expect(a.getByTestId('transcript-imported')).toHaveText('Imported 6 turns.', SLOW);
		await expect(dialog).toBeHidden(SLOW);

		const alternating = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? 'BW:' : 'AV:'));
		for (const page of [a, b]) {
			await expect(turns(page)).toHaveCount(6, SLOW);
			await expect.poll(() => labelsOf(page), SLOW).toEqual(alternating);
			await expect(page.locator('[data-testid=editor] p.lead-in')).toHaveText('Basin Watch spoke with Dr. Anneli Varga about the breach of the Varesh Canal.', SLOW);
			// "Basin Watch" prints roman in the italic lead-in.
			await expect(page.locator('[data-testid=editor] p.lead-in em')).toHaveText(/^Basin Watch\s?$/);
		}
		await expect(b.getByLabel('Name of AV', { exact: true })).toHaveValue('Anneli Varga', SLOW);

		const md = await markdownOf(b, galley, pieceId);
		expect(md).toContain('Basin Watch *spoke with Dr. Anneli Varga about the breach of the Varesh Canal.*');
		expect(md).toContain(`BW: ${SPEAKER_TRANSCRIPT[0][2]}\n\nAV: ${SPEAKER_TRANSCRIPT[1][2]}`);
		expect(md).not.toContain('Speaker');
	});

	test('importing the same transcript again keeps the piece’s lead-in and warns that its turns are already there (5 of 6: one was edited since) before appending them a second time; replacing instead leaves the 6 turns once, on both screens', async ({
		browser
	}) => {
		const { a, b, pieceId } = await twoPeopleOn(browser, galley, 'Imported twice', 'Interview');

		// The first import: BW is the template's interviewer, AV someone new.
		let dialog = await pasteTranscript(a, BW_AV_TRANSCRIPT);
		await expect(dialog.getByLabel('Participant for AV', { exact: true })).toBeVisible(SLOW);
		await dialog.getByLabel('Participant for AV', { exact: true }).selectOption({ label: 'New participant…' });
		await dialog.getByLabel('Name for AV', { exact: true }).fill('Anneli Varga');
		await dialog.getByLabel('Role for AV', { exact: true }).selectOption({ label: 'answers' });
		await expect(dialog.getByRole('alert')).toHaveCount(0);
		await dialog.getByLabel('Write one').check();
		await dialog.getByLabel('Lead-in', { exact: true }).fill(PIECE_LEAD_IN);
		await dialog.getByRole('button', { name: 'Import 6 turns' }).click();
		await expect(dialog).toBeHidden(SLOW);
		await expect(turns(b)).toHaveCount(6, SLOW);

		// B types a sentence into the last answer meanwhile: it is the piece's text from now on.
		await turns(b).nth(5).locator('p').first().click();
		await b.keyboard.press('End');
		await b.keyboard.type(' Added by Bea.', { delay: 20 });
		await expect(turns(a).nth(5)).toContainText('Added by Bea.', SLOW);

		// The second import of the same transcript, this time with a lead-in of its own: the piece's lead-in,
		// written at the first import, is kept unless the transcript's is chosen. AV is now the piece's own
		// participant, and the dialog warns that five of the six turns are there already (the sixth was changed
		// since) before anything is added.
		dialog = await pasteTranscript(a, `${TRANSCRIPT_LEAD_IN}\n\n${BW_AV_TRANSCRIPT}`);
		await expect(dialog.getByLabel('Keep the piece’s lead-in')).toBeChecked(SLOW);
		await expect(dialog.getByLabel('Use the transcript’s lead-in')).not.toBeChecked();
		await expect(dialog.getByLabel('Participant for AV', { exact: true })).toHaveValue(/.+/, SLOW);
		await expect(dialog.getByLabel('Participant for AV', { exact: true }).locator('option:checked')).toHaveText('AV — Anneli Varga');
		const warning = dialog.getByRole('alert');
		await expect(warning).toContainText('5 of these 6 turns are already in the piece', SLOW);
		await expect(warning).toContainText('appending would repeat them');
		await expect(dialog.getByRole('button', { name: 'Append 6 turns anyway' })).toBeVisible();
		// "The same speaker" is who the mapping says: AV's answers given to someone new, printed AV2, are new turns.
		await dialog.getByLabel('Participant for AV', { exact: true }).selectOption({ label: 'New participant…' });
		await dialog.getByLabel('Printed label for AV', { exact: true }).fill('AV2');
		await expect(warning).toContainText('3 of these 6 turns are already in the piece', SLOW);
		await dialog.getByLabel('Participant for AV', { exact: true }).selectOption({ label: 'AV — Anneli Varga' });
		await expect(dialog.getByLabel('Printed label for AV', { exact: true })).toHaveValue('AV');
		await expect(warning).toContainText('5 of these 6 turns are already in the piece', SLOW);

		// Replace instead: the warning goes, and the piece has the six turns once.
		await dialog.getByLabel('Replace the piece’s turns with the new ones').check();
		await expect(warning).toBeHidden();
		await dialog.getByRole('button', { name: 'Replace with 6 turns' }).click();
		await expect(a.getByTestId('transcript-imported')).toHaveText('Imported 6 turns.', SLOW);
		await expect(dialog).toBeHidden(SLOW);

		for (const page of [a, b]) {
			await expect.poll(() => textsOf(turns(page)), SLOW).toEqual(SPEAKER_TRANSCRIPT.map(([, , words]) => words));
			await expect.poll(() => labelsOf(page)).toEqual(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? 'BW:' : 'AV:')));
		}
		for (const page of [a, b]) await expect(page.locator('[data-testid=editor] p.lead-in')).toHaveText(PIECE_LEAD_IN, SLOW);
		const md = await markdownOf(a, galley, pieceId);
		expect(md.match(/Who cut it\?/g)).toHaveLength(1);
		expect(md).not.toContain('Added by Bea.');
		expect(md).toContain(PIECE_LEAD_IN);
		expect(md).not.toContain('Kettering');
	});

	test('a blank file says it is empty, and a binary file is refused before its bytes reach the text box', async ({ browser }) => {
		const { a, b } = await twoPeopleOn(browser, galley, 'Files that are not transcripts', 'Interview');
		await a.getByRole('button', { name: 'Import transcript…' }).click();
		const dialog = a.getByRole('dialog', { name: 'Import a transcript' });
		const box = dialog.getByLabel('Transcript', { exact: true });
		const file = dialog.getByLabel('…or a file');

		await file.setInputFiles({ name: 'recording-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('  \n\n\t \r\n') });
		await expect(dialog.getByRole('alert')).toHaveText('“recording-notes.txt” is empty: there is no transcript in it.');
		await expect(box).toHaveValue('');
		await expect(dialog.getByRole('button', { name: 'Find speakers' })).toBeDisabled();

		// Something typed into the box stays there when a PNG is chosen: the image is refused, not shown as text.
		await box.click();
		await a.keyboard.type('BW: Kept while the file was refused.', { delay: 5 });
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xc8, 0x08, 0x06, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x01, 0x02]);
		await file.setInputFiles({ name: 'canal.png', mimeType: 'image/png', buffer: png });
		await expect(dialog.getByRole('alert')).toContainText('“canal.png” is not a text file');
		await expect(box).toHaveValue('BW: Kept while the file was refused.');

		// A text file is read into the box.
		await file.setInputFiles({ name: 'interview.txt', mimeType: 'text/plain', buffer: Buffer.from(BW_AV_TRANSCRIPT) });
		await expect(box).toHaveValue(BW_AV_TRANSCRIPT);
		await expect(dialog.getByRole('alert')).toHaveCount(0);
		// Nothing was imported: B still has the template's two empty turns.
		await expect(turns(b)).toHaveCount(2);
	});

	test('a whole bulletin issue pasted into the dialog is recognised as one and pointed to the issue import; nothing is imported', async ({ browser }) => {
		const { a, b, pieceId } = await twoPeopleOn(browser, galley, 'An issue pasted by mistake', 'Interview');
		const dialog = await pasteTranscript(a, bulletinIssue());
		const alert = dialog.getByRole('alert');
		await expect(alert).toContainText('This is a whole bulletin issue (VOLUME VII, ISSUE 12', SLOW);
		await expect(alert).toContainText('Whole issues are imported with the issue import, not here.');
		await expect(alert).toContainText('its first turn (BW:) is on line 120');
		// No mapping step, no lead-in made of the whole issue.
		await expect(dialog.getByLabel('Participant for BW', { exact: true })).toHaveCount(0);
		await expect(dialog.getByRole('button', { name: /^Import/ })).toHaveCount(0);
		await dialog.getByRole('button', { name: 'Cancel' }).click();
		for (const page of [a, b]) await expect(turns(page)).toHaveCount(2);
		expect(await markdownOf(b, galley, pieceId)).not.toContain('VOLUME VII');
	});

	test('a new piece’s prompts are placeholders: both people see them, typing replaces them, and they never print or export', async ({ browser }) => {
		const { a, b, edA, edB, pieceId } = await twoPeopleOn(browser, galley, 'Flood gates reopen', 'Brief');
		const prompt = 'Write the brief here: what happened, with sources, and why it matters.';
		for (const page of [a, b]) await expect(page.locator('[data-testid=editor] p[data-placeholder]').first()).toHaveAttribute('data-placeholder', prompt);
		// The prompt is no text of the piece: not in the editor's text, not in any export.
		expect((await pieceText(edA.text)).trim()).toBe('');
		for (const format of ['markdown', 'html', 'json']) {
			const res = await a.request.get(`${galley.url}/api/pieces/${pieceId}/content?format=${format}`);
			expect(await res.text()).not.toContain('Write the brief here');
		}

		await edA.text.click();
		await a.keyboard.type('The Sorrin flood gates reopened on March 20.', { delay: 20 });
		await expect.poll(() => pieceText(edB.text), SLOW).toBe('The Sorrin flood gates reopened on March 20.');
		for (const page of [a, b]) await expect(page.locator('[data-testid=editor] p[data-placeholder]:not([data-placeholder=""])')).toHaveCount(0);
		await expect.poll(() => markdownOf(b, galley, pieceId), SLOW).toBe('The Sorrin flood gates reopened on March 20.\n');

		// An interview's lead-in prompt is a placeholder too.
		const interview = await createPieceInUi(a, galley, 'Prompted interview', 'Interview');
		await openPiece(a, galley, interview);
		await expect(a.locator('[data-testid=editor] p.lead-in')).toHaveAttribute('data-placeholder', 'Basin Watch spoke with … about … The conversation has been condensed and edited for clarity.');
		await expect(a.locator('[data-testid=editor] p.lead-in')).toHaveText('');
		expect(await markdownOf(a, galley, interview)).not.toContain('spoke with');
	});

	test('the Question and Answer buttons are in an interview’s toolbar only', async ({ browser }) => {
		const { a, b } = await twoPeopleOn(browser, galley, 'Briefly, no turns', 'Brief');
		for (const page of [a, b]) {
			const toolbar = page.getByRole('toolbar', { name: 'Formatting' });
			await expect(toolbar.getByRole('button', { name: 'Bold', exact: true })).toBeVisible();
			await expect(toolbar.getByRole('button', { name: 'Question', exact: true })).toHaveCount(0);
			await expect(toolbar.getByRole('button', { name: 'Answer', exact: true })).toHaveCount(0);
		}
		const article = await createPieceInUi(a, galley, 'No turns in articles either', 'Article');
		await openPiece(a, galley, article);
		await expect(a.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Question', exact: true })).toHaveCount(0);

		const interview = await createPieceInUi(a, galley, 'Turns here', 'Interview');
		await openPiece(a, galley, interview);
		const toolbar = a.getByRole('toolbar', { name: 'Formatting' });
		await expect(toolbar.getByRole('button', { name: 'Question', exact: true })).toBeVisible();
		await expect(toolbar.getByRole('button', { name: 'Answer', exact: true })).toBeVisible();
	});
});
