// A long interview (a day of hearings: thousands of turns) is stored and queried like a short one: its
// projection rows go to the database in chunks, as one insert cannot carry more than 65,535 parameters.
import { describe, expect, it, vi } from 'vitest';
import { databaseKinds } from '../support/galley-server';
import { useScriptedGalley } from '../support/scripted-galley';
import { PROJECTION_ROWS_PER_INSERT } from '../../src/lib/server/content/projections';

const TURNS = 9_000; // 9,000 turns × 8 columns = 72,000 parameters in one insert

describe.each(databaseKinds())('a long interview on %s', (kind) => {
	const galley = useScriptedGalley(kind, 'long interview');

	it(`imports ${TURNS.toLocaleString('en')} turns and lists every one of them as Q&A rows (inserted ${PROJECTION_ROWS_PER_INSERT} at a time)`, async () => {
		const created = await galley.script.post('/api/pieces', { kind: 'interview', title: 'A day of hearings on the Sorrin weirs' });
		const id = created.json.piece.id;
		const transcript = Array.from({ length: TURNS }, (_, i) => `${i % 2 ? 'AV' : 'BW'}: Turn ${i + 1} of the hearing on the weirs.`).join('\n');
		const imported = await galley.script.post(`/api/pieces/${id}/transcript`, transcript, { 'content-type': 'text/plain' });
		expect(imported.status).toBe(201);
		expect(imported.json.imported).toBe(TURNS);
		await vi.waitFor(
			async () => {
				const res = await galley.script.get(`/api/qa-blocks?pieceId=${id}`);
				expect(res.status).toBe(200);
				expect(res.json.qaBlocks).toHaveLength(TURNS);
			},
			{ timeout: 30_000, interval: 500 }
		);
		const rows = (await galley.script.get(`/api/qa-blocks?pieceId=${id}&speaker=AV`)).json.qaBlocks;
		expect(rows).toHaveLength(TURNS / 2);
		expect(rows.at(-1).text).toBe(`Turn ${TURNS} of the hearing on the weirs.`);
	}, 120_000);
});
