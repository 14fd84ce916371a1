// The embedded database starts with memory settings for an embedded instance, PGlite's own start
// parameters (durability included) kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from './client';

let handle: DatabaseHandle | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-pglite-settings-'));

afterAll(async () => {
	await handle?.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('embedded database settings', () => {
	it('starts PGlite with small shared buffers and few connections, and its own durability settings', async () => {
		handle = await openDatabase({ databaseUrl: null, dataDir: dir });
		const setting = async (name: string) =>
			((await handle!.db.execute(sql`select setting, unit from pg_settings where name = ${name}`)) as unknown as { rows: { setting: string; unit: string | null }[] }).rows[0];
		// 8 kB blocks: 16 MB is 2048 of them (PGlite's default is 16,384: 128 MB).
		expect(await setting('shared_buffers')).toEqual({ setting: '2048', unit: '8kB' });
		expect((await setting('max_connections')).setting).toBe('8');
		// PGlite's default start parameters are still there: -F (its own sync to the data folder) and search_path.
		expect((await setting('fsync')).setting).toBe('off');
		expect((await setting('search_path')).setting).toBe('public');
	}, 180_000); // a fresh data folder: PGlite runs initdb first (tens of seconds on a busy machine)
});
