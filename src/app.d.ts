import type { Actor } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Locals {
			actor: Actor | null;
			/** The raw session token when signed in by cookie (for logout). */
			sessionToken: string | null;
		}
		interface Error {
			message: string;
			field?: string;
		}
	}
}

export {};
