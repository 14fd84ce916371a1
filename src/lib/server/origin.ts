/**
 * Is a request's Origin the app's own? No Origin header (a script, curl) is allowed: such clients carry
 * no ambient browser credential unless they send one explicitly.
 */
export function isAllowedOrigin(origin: string | undefined | null, host: string | undefined | null, configured: string | null): boolean {
	if (!origin) return true;
	if (configured) return origin === configured;
	if (!host) return false;
	return origin === `http://${host}` || origin === `https://${host}`;
}

/** The app's origin as the user reached it: ORIGIN when configured, else http://<Host>. */
export function publicOrigin(configured: string | null, host: string | null): string {
	return configured ?? `http://${host ?? '127.0.0.1'}`;
}
