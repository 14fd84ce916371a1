// User story: an interview's participant linked to a contributor profile. One person links the guest to
// the interviewee's profile (and takes the profile's name), changes the link and unlinks it; a second
// person, in another browser context, sees each change live; the link survives a reload, is stored in the
// piece, and is still shown, but no longer changeable, once the piece is locked.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EDITOR, SECOND_EDITOR, createPieceInUi, editorPage, openPiece, useGalley } from './helpers';

// The machine running these is shared with other test runs: be patient, but only ever wait for something.
const SLOW = { timeout: 30_000 };

const GUEST = { email: 'anneli@example.org', name: 'Anneli Varga', password: 'a long guest passphrase' };

/** The serious or critical axe violations of the Participants panel as it is now (as in accessibility.spec.ts). */
async function seriousViolationsInParticipants(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page })
		.include('section[aria-labelledby="participants-title"]')
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
		.analyze();
	return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help}`);
}

test.describe('participants linked to contributor profiles', () => {
	test.describe.configure({ timeout: 120_000 });

	const galley = useGalley({
		people: [
			[SECOND_EDITOR, 'editor'],
			// Every account has a contributor profile: the guest's is the one the interview links to.
			[GUEST, 'contributor']
		]
	});

	async function contributorId(name: string): Promise<string> {
		const res = await galley.editorApi.get('/api/contributors');
		expect(res.status).toBe(200);
		const found = (res.json.contributors as { id: string; name: string }[]).find((c) => c.name === name);
		expect(found, `a contributor profile named ${name}`).toBeTruthy();
		return found!.id;
	}

	/** The participant's profile link in a page's Participants panel, and the profile it shows. */
	const profileOf = (page: Page, label: string) => page.getByLabel(`Profile of ${label}`, { exact: true });
	const shownProfile = (page: Page, label: string) =>
		profileOf(page, label).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent?.trim() ?? '');

	test('one person links the guest to a contributor, changes and removes the link; the other sees it live; it survives a reload and shows read-only once the piece is locked', async ({
		browser
	}) => {
		const varga = await contributorId(GUEST.name);
		const bea = await contributorId(SECOND_EDITOR.name);

		const a = await galley.pageFor(browser, EDITOR);
		const pieceId = await createPieceInUi(a, galley, 'Interview with Dr. Anneli Varga', 'Interview');
		const edA = await openPiece(a, galley, pieceId);
		const b = await galley.pageFor(browser, SECOND_EDITOR);
		await openPiece(b, galley, pieceId);

		// The template's participants are not linked to anyone.
		await expect.poll(() => shownProfile(a, 'G'), SLOW).toBe('Not linked');
		await expect.poll(() => shownProfile(b, 'BW'), SLOW).toBe('Not linked');
		// The profiles are offered once loaded.
		await expect(profileOf(a, 'G').locator(`option[value="${varga}"]`)).toHaveText(GUEST.name, SLOW);

		// A links the guest to Anneli Varga's profile; the guest still has the template's name, so A is
		// offered the profile's name, and takes it.
		await profileOf(a, 'G').selectOption({ label: GUEST.name });
		await expect.poll(() => shownProfile(a, 'G')).toBe(GUEST.name);
		const useName = a.getByRole('button', { name: `Use “${GUEST.name}” as the name` });
		await expect(useName).toBeVisible();
		expect(await seriousViolationsInParticipants(a)).toEqual([]);
		await useName.click();
		await expect(a.getByLabel('Name of G', { exact: true })).toHaveValue(GUEST.name);
		await expect(useName).toBeHidden();

		// B sees the link and the name, live; B was not offered anything.
		await expect.poll(() => shownProfile(b, 'G'), SLOW).toBe(GUEST.name);
		await expect(profileOf(b, 'G')).toHaveValue(varga);
		await expect(b.getByLabel('Name of G', { exact: true })).toHaveValue(GUEST.name, SLOW);
		await expect(b.getByRole('button', { name: /as the name/ })).toHaveCount(0);
		// The interviewer's link is untouched.
		await expect.poll(() => shownProfile(b, 'BW')).toBe('Not linked');

		// A changes the link, with the keyboard this time; B follows. The name is A's to keep: it stays.
		// (the profiles are in name order: Anneli Varga, Bea Berger, Eda Editor)
		await profileOf(a, 'G').focus();
		await a.keyboard.press('ArrowDown');
		await expect(profileOf(a, 'G')).toHaveValue(bea);
		await expect(profileOf(b, 'G')).toHaveValue(bea, SLOW);
		await expect.poll(() => shownProfile(b, 'G')).toBe(SECOND_EDITOR.name);
		await expect(b.getByLabel('Name of G', { exact: true })).toHaveValue(GUEST.name);

		// A unlinks; B follows.
		await profileOf(a, 'G').selectOption({ label: 'Not linked' });
		await expect.poll(() => shownProfile(b, 'G'), SLOW).toBe('Not linked');
		await expect(profileOf(b, 'G')).toHaveValue('');

		// And links the guest to the right profile again; the name already matches, so nothing is offered.
		await profileOf(a, 'G').selectOption({ label: GUEST.name });
		await expect(a.getByRole('button', { name: /as the name/ })).toHaveCount(0);
		await expect.poll(() => shownProfile(b, 'G'), SLOW).toBe(GUEST.name);
		await expect(edA.save).toHaveText('Saved', SLOW);

		// After a reload, B still sees the link.
		await b.reload();
		const edB = editorPage(b);
		await expect(edB.connection).toHaveText('Connected', SLOW);
		await expect.poll(() => shownProfile(b, 'G'), SLOW).toBe(GUEST.name);
		await expect(b.getByLabel('Name of G', { exact: true })).toHaveValue(GUEST.name);

		// The link is in the stored piece, on the participant; the print form does not show it.
		const json = await galley.editorApi.get(`/api/pieces/${pieceId}/content?format=json`);
		expect(json.status).toBe(200);
		type Participant = { type: string; attrs: { label: string; contributorId: string | null } };
		const participants = (json.json.content as { type: string; content?: Participant[] }[])
			.find((n) => n.type === 'participants')!
			.content!.filter((n) => n.type === 'participant')
			.map((n) => n.attrs);
		expect(participants.map((p) => [p.label, p.contributorId])).toEqual([
			['BW', null],
			['G', varga]
		]);
		const markdown = await galley.editorApi.get(`/api/pieces/${pieceId}/content?format=markdown`);
		expect(markdown.text).not.toContain(GUEST.name);

		// The editor approves the piece: it is locked. B's open editor reconnects read-only and still shows
		// the link, which B can no longer change.
		for (const to of ['in_review', 'approved']) {
			const res = await galley.editorApi.post(`/api/pieces/${pieceId}/review`, { to });
			expect(res.status, res.text).toBe(200);
		}
		await expect(b.getByText('This piece is read-only for you.')).toBeVisible(SLOW);
		await expect(profileOf(b, 'G')).toBeDisabled(SLOW);
		await expect.poll(() => shownProfile(b, 'G')).toBe(GUEST.name);
		await expect(b.getByLabel('Name of G', { exact: true })).toBeDisabled();
		await expect(b.getByRole('button', { name: 'Add participant' })).toHaveCount(0);
		expect(await seriousViolationsInParticipants(b)).toEqual([]);
	});
});
