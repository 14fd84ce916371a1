import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** A random token for the client (cookie, API token, invite link); only its hash is stored. */
export function generateToken(prefix = ''): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return prefix + encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function newId(): string {
	return crypto.randomUUID();
}
