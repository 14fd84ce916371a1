import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { ping } from '$lib/server/db/client';

export async function GET() {
	try {
		const g = await galley();
		await ping(g.db);
		return json({ ok: true, database: g.database.kind });
	} catch (err) {
		return json({ error: { message: `database unavailable: ${(err as Error).message}` } }, { status: 503 });
	}
}
