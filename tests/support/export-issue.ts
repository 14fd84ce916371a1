// A made-up Basin Watch issue for the export tests and bench/export.ts, built through the API as a script
// would: pieces of very different lengths (a page, several pages, a dozen), in sections and out of them,
// some approved or published (final) and some not (printed DRAFT). Its titles never occur in any body.
import type { TestClient } from './api-client';

export interface ExportPiece {
	id: string;
	title: string;
	final: boolean;
}

const SENTENCES = [
	'The breach came eleven days after Talmar and Nerovia signed the Sorrin Water Pact.',
	'Nerovian farmers’ unions have asked their government to suspend payments for the new gauging stations.',
	'A joint patrol, proposed by Kessland as a neutral third party, would need approval from both parliaments.',
	'The canal’s warden had received written threats in January that named the pact and the date of its signing.',
	'Herders who sold their last cattle in the autumn crossed the border with detonators in the spring.'
];

/** `paragraphs` paragraphs of bulletin prose, a `## ` heading every eight. */
export function bulletinText(paragraphs: number): string {
	const out: string[] = [];
	for (let i = 0; i < paragraphs; i++) {
		if (i > 0 && i % 8 === 0) out.push(`## Part ${i / 8 + 1}`);
		out.push(Array.from({ length: 4 }, (_, k) => SENTENCES[(i + k) % SENTENCES.length]).join(' '));
	}
	return out.join('\n\n');
}

const PLAN: { kind: 'brief' | 'article'; title: string; paragraphs: number; section: number | null; final: 'approved' | 'published' | null }[] = [
	{ kind: 'brief', title: 'Sabotage on the Varesh Canal Tests Talmar’s New Water Pact', paragraphs: 3, section: 0, final: 'approved' },
	{ kind: 'brief', title: 'Did the Drought Push Kessland’s Herders Toward the Amber Brigades?', paragraphs: 22, section: 0, final: null },
	{ kind: 'article', title: 'The Amber Brigades’ Campaign Against the River Wardens', paragraphs: 60, section: 1, final: 'published' },
	{ kind: 'article', title: 'Nerovia and Kessland Agree to Share Flood-Gate Data with Talmar', paragraphs: 9, section: 1, final: null },
	{ kind: 'article', title: 'What the Sorrin Dam Means for the Lower Marl', paragraphs: 1, section: null, final: 'approved' }
];

async function ok<T = any>(res: Promise<{ status: number; json: any; text: string }>, status = 200): Promise<T> {
	const r = await res;
	if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
	return r.json as T;
}

/** Build the issue with the editor's `client` (signed in or a token); returns its id and pieces in contents order. */
export async function buildExportIssue(client: TestClient, number = 12, scale = 1): Promise<{ issueId: string; pieces: ExportPiece[] }> {
	const { issue } = await ok(client.post('/api/issues', { publication: 'Basin Watch', tagline: 'Independent analysis of security and water in the Varesh Basin', volume: 7, number, date: '2027-03-15', sections: ['Briefs', 'Articles'] }), 201);
	const board = await ok(client.get(`/api/issues/${issue.id}`));
	const sections: string[] = board.sections.map((s: { id: string }) => s.id);
	const pieces: ExportPiece[] = [];
	for (const p of PLAN) {
		const { piece } = await ok(client.post('/api/pieces', { kind: p.kind, title: p.title, text: bulletinText(Math.max(1, Math.round(p.paragraphs * scale))) }), 201);
		await ok(client.patch(`/api/pieces/${piece.id}`, { issueId: issue.id, sectionId: p.section === null ? null : sections[p.section] }));
		if (p.final) {
			await ok(client.post(`/api/pieces/${piece.id}/review`, { to: 'in_review' }));
			await ok(client.post(`/api/pieces/${piece.id}/review`, { to: 'approved' }));
			if (p.final === 'published') await ok(client.post(`/api/pieces/${piece.id}/review`, { to: 'published' }));
		}
		pieces.push({ id: piece.id, title: p.title, final: p.final !== null });
	}
	// contents order: the sections in order, then the pieces in no section (PLAN is written in that order)
	return { issueId: issue.id, pieces };
}
