// POST /api/pieces/:id/transcript as a script uses it (a Bearer token, no Origin): printed labels, the
// lead-in choice, replace or append with the count of turns already in the piece, and the refusals of
// what is not a transcript (blank, binary, a whole bulletin issue) with 422 and a message that says which.
import { describe, expect, it } from 'vitest';
import { oneDatabaseKind } from '../support/galley-server';
import { SIX_TURNS, bulletinIssue } from '../support/bulletin-issue';
import { useScriptedGalley } from '../support/scripted-galley';

describe.each(oneDatabaseKind())('transcript import through the API on %s', (kind) => {
	const galley = useScriptedGalley(kind, 'transcript import');

	async function interview(title: string): Promise<string> {
		const res = await galley.script.post('/api/pieces', { kind: 'interview', title });
		expect(res.status, res.text).toBe(201);
		return res.json.piece.id;
	}
	const markdown = async (id: string) => (await galley.script.get(`/api/pieces/${id}/content?format=markdown`)).text;
	const turnsOf = async (id: string) => (await galley.script.get(`/api/pieces/${id}/content?format=json`)).json.content.filter((n: { type: string }) => n.type === 'qaBlock');

	it('reports the turns already in the piece: a re-import counts 6 of 6, appending makes 12 (and says so), replacing leaves 6', async () => {
		const id = await interview('Imported twice through the API');
		const first = await galley.script.post(`/api/pieces/${id}/transcript`, SIX_TURNS, { 'content-type': 'text/plain' });
		expect(first.status, first.text).toBe(201);
		expect(first.json).toMatchObject({ dryRun: false, mode: 'append', imported: 6, alreadyPresent: 0 });

		const dry = await galley.script.post(`/api/pieces/${id}/transcript?dryRun=1`, { text: SIX_TURNS, mode: 'append' });
		expect(dry.status, dry.text).toBe(200);
		expect(dry.json).toMatchObject({ dryRun: true, mode: 'append', alreadyPresent: 6 });
		expect(await turnsOf(id)).toHaveLength(6); // a dry run changes nothing

		const appended = await galley.script.post(`/api/pieces/${id}/transcript`, { text: SIX_TURNS, mode: 'append' });
		expect(appended.status, appended.text).toBe(201);
		expect(appended.json).toMatchObject({ mode: 'append', imported: 6, alreadyPresent: 6 });
		expect(await turnsOf(id)).toHaveLength(12);

		const replaced = await galley.script.post(`/api/pieces/${id}/transcript?mode=replace`, SIX_TURNS, { 'content-type': 'text/plain' });
		expect(replaced.status, replaced.text).toBe(201);
		expect(replaced.json).toMatchObject({ mode: 'replace', imported: 6, alreadyPresent: 6 });
		expect(await turnsOf(id)).toHaveLength(6);
		expect((await markdown(id)).match(/Who cut it\?/g)).toHaveLength(1);
	});

	it('prints each speaker under the label the mapping gives, and writes, keeps or takes the lead-in as asked', async () => {
		const id = await interview('Speaker 1 and Speaker 2');
		const text = 'Basin Watch *spoke with a warden of the Lower Marl.*\n\nSpeaker 1: Who reads the gauges now?\n\nSpeaker 2: We do, every morning.';
		const mapping = { 'Speaker 1': { participantId: 'p-interviewer' }, 'Speaker 2': { name: 'Ilona Serk', label: 'IS', role: 'interviewee' } };
		const written = await galley.script.post(`/api/pieces/${id}/transcript`, { text, mapping, leadIn: { text: 'Basin Watch *talked to Ilona Serk at the Halm weir.*' } });
		expect(written.status, written.text).toBe(201);
		let md = await markdown(id);
		expect(md).toContain('Basin Watch *talked to Ilona Serk at the Halm weir.*');
		expect(md).toContain('BW: Who reads the gauges now?\n\nIS: We do, every morning.');
		expect(md).not.toContain('Speaker');

		// Replacing while keeping the piece's lead-in; the transcript's is not taken.
		const kept = await galley.script.post(`/api/pieces/${id}/transcript`, { text, mapping: { 'Speaker 1': { participantId: 'p-interviewer' }, 'Speaker 2': { participantId: written.json.participants[1].id } }, mode: 'replace', leadIn: 'keep' });
		expect(kept.status, kept.text).toBe(201);
		md = await markdown(id);
		expect(md).toContain('talked to Ilona Serk at the Halm weir.');
		expect(md).not.toContain('warden of the Lower Marl');

		const taken = await galley.script.post(`/api/pieces/${id}/transcript?mode=replace`, { text, mapping: { 'Speaker 1': { participantId: 'p-interviewer' }, 'Speaker 2': { participantId: written.json.participants[1].id } }, leadIn: 'transcript' });
		expect(taken.status, taken.text).toBe(201);
		expect(await markdown(id)).toMatch(/^Basin Watch \*spoke with a warden of the Lower Marl\.\*/);

		const wrong = await galley.script.post(`/api/pieces/${id}/transcript`, { text, leadIn: 'the transcript' });
		expect(wrong.status).toBe(400);
		expect(wrong.json.error.field).toBe('leadIn');
	});

	it('answers 422 with a message that says so for a blank transcript, as text/plain and as JSON', async () => {
		const id = await interview('Blank');
		for (const res of [
			await galley.script.post(`/api/pieces/${id}/transcript`, ' \n\n\t', { 'content-type': 'text/plain' }),
			await galley.script.post(`/api/pieces/${id}/transcript?dryRun=1`, { text: '\uFEFF  \r\n' })
		]) {
			expect(res.status, res.text).toBe(422);
			expect(res.json.error).toEqual({ message: 'The transcript is empty: there is no text in it.', field: 'text' });
		}
	});

	it('answers 422 for a binary file sent as the transcript (a PNG), and imports nothing', async () => {
		const id = await interview('Binary');
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00, 0xff, 0xfe, 0x01, 0x02, 0x03]);
		const res = await fetch(`${galley.url}/api/pieces/${id}/transcript`, { method: 'POST', headers: { authorization: `Bearer ${galley.script.token}`, 'content-type': 'text/plain' }, body: png });
		expect(res.status).toBe(422);
		const body = await res.json();
		expect(body.error.message).toMatch(/^This is not text: it looks like a binary file/);
		expect(await turnsOf(id)).toHaveLength(2); // the template's two turns
	});

	it('answers 422 for a whole bulletin issue, pointing to the issue import, and imports nothing', async () => {
		const id = await interview('A whole issue');
		const before = await markdown(id);
		for (const res of [
			await galley.script.post(`/api/pieces/${id}/transcript`, bulletinIssue(), { 'content-type': 'text/plain' }),
			await galley.script.post(`/api/pieces/${id}/transcript?dryRun=1`, { text: bulletinIssue() })
		]) {
			expect(res.status, res.text).toBe(422);
			expect(res.json.error.message).toContain('This is a whole bulletin issue (VOLUME VII, ISSUE 12');
			expect(res.json.error.message).toContain('Whole issues are imported with the issue import, not here.');
			expect(res.json.error.field).toBe('text');
		}
		expect(await markdown(id)).toBe(before);
	});
});
