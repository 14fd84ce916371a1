// A small API client for tests: cookies like a browser (with the app's Origin), or a Bearer token like a script.

export class TestClient {
	cookie: string | null = null;
	token: string | null = null;

	constructor(readonly base: string) {}

	async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
		const h: Record<string, string> = { ...headers };
		if (body !== undefined && typeof body !== 'string') h['content-type'] ??= 'application/json';
		if (this.token) h.authorization = `Bearer ${this.token}`;
		if (this.cookie) {
			h.cookie = this.cookie;
			h.origin ??= this.base;
		}
		const res = await fetch(this.base + path, {
			method,
			headers: h,
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
			redirect: 'manual'
		});
		const setCookie = res.headers.get('set-cookie');
		if (setCookie && /galley_session=([^;]*)/.test(setCookie)) {
			const value = /galley_session=([^;]*)/.exec(setCookie)![1];
			this.cookie = value ? `galley_session=${value}` : null;
		}
		const text = await res.text();
		let json: any = null;
		try {
			json = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, json, text, headers: res.headers };
	}

	get = (path: string) => this.request('GET', path);
	post = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', path, body, headers);
	patch = (path: string, body?: unknown) => this.request('PATCH', path, body);
}

export const EDITOR = { email: 'editor@example.org', name: 'Eda Editor', password: 'correct horse battery' };

/** Create the first account (the editor) and return a signed-in client. */
export async function setUpEditor(base: string): Promise<TestClient> {
	const client = new TestClient(base);
	const res = await client.post('/api/setup', EDITOR);
	if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.text}`);
	return client;
}

/** A Bearer-token client for the given signed-in client's user. */
export async function tokenClient(signedIn: TestClient, name = 'tests'): Promise<TestClient> {
	const res = await signedIn.post('/api/tokens', { name });
	if (res.status !== 201) throw new Error(`token failed: ${res.status} ${res.text}`);
	const client = new TestClient(signedIn.base);
	client.token = res.json.token;
	return client;
}

/** Sign `who` in and return a Bearer-token client for them (no cookie, no Origin: what a script sends). */
export async function signedInToken(base: string, who: { email: string; password: string }, tokenName = 'tests'): Promise<TestClient> {
	const session = new TestClient(base);
	const login = await session.post('/api/auth/login', { email: who.email, password: who.password });
	if (login.status !== 200) throw new Error(`sign-in of ${who.email} failed: ${login.status} ${login.text}`);
	return tokenClient(session, tokenName);
}
