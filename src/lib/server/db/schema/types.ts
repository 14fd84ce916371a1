import { customType } from 'drizzle-orm/pg-core';

/** bytea that always reads back as a Uint8Array (postgres.js returns Buffer, PGlite Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType() {
		return 'bytea';
	},
	toDriver(value) {
		return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
	},
	fromDriver(value) {
		return Buffer.isBuffer(value)
			? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
			: (value as Uint8Array);
	}
});

/** A text-search vector (read as its text form; only search conditions use it). */
export const tsvector = customType<{ data: string }>({
	dataType() {
		return 'tsvector';
	}
});
