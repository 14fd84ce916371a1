import { describe, expect, it } from 'vitest';
import { route } from './http';

/** An error as drizzle throws it: its own wrapper, the driver's error as the cause. */
function wrapped(driverError: Record<string, unknown>): Error {
	return Object.assign(new Error('Failed query: insert into "users" …'), { cause: Object.assign(new Error('duplicate key value'), driverError) });
}

describe('route()', () => {
	it('answers a unique violation of users_email_idx (postgres.js names it constraint_name) with 409 naming `email`', async () => {
		const handler = route(async () => {
			throw wrapped({ code: '23505', constraint_name: 'users_email_idx' });
		});
		const res = await handler({});
		expect(res.status).toBe(409);
		expect(await res.json()).toEqual({ error: { message: 'This e-mail address already has an account', field: 'email' } });
	});

	it('answers a unique violation reported by PGlite (constraint) or of an unknown index with a plain 409', async () => {
		const pglite = await route(async () => {
			throw wrapped({ code: '23505', constraint: 'users_email_idx' });
		})({});
		expect((await pglite.json()).error.field).toBe('email');
		const other = await route(async () => {
			throw wrapped({ code: '23505', constraint_name: 'something_else_idx' });
		})({});
		expect(other.status).toBe(409);
		expect((await other.json()).error).toEqual({ message: 'This conflicts with something that already exists' });
	});

	it('lets other errors through (a 500 from SvelteKit)', async () => {
		const boom = wrapped({ code: '23503' });
		await expect(route(async () => Promise.reject(boom))({})).rejects.toBe(boom);
	});
});
