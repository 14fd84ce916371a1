/**
 * Where to go after signing in: the `next` the sign-in page was given, when it is a path on this site.
 * Anything else (absent, another site, `//host` or `/\host`, which browsers treat as another host) gives `/pieces`.
 */
export function safeNext(next: string | null | undefined): string {
	if (!next || !next.startsWith('/') || /^\/[/\\]/.test(next) || /[\u0000-\u001f]/.test(next)) return '/pieces';
	return next;
}
