// Helpers for the end-to-end tests: a Galley server per describe block (restartable on the same data; PGlite ones
// started in the background during the previous block), signed-in browser contexts, and the editor page's parts.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { test, expect, type Browser, type BrowserContext, type Locator, type Page, type TestInfo, type WebSocketRoute } from '@playwright/test';
import { startGalley, type DatabaseKind, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { EDITOR, TestClient, setUpEditor } from '../support/api-client';

export { EDITOR };

/** The second person in the co-editing stories: an editor too, so the piece is visible to both. */
export const SECOND_EDITOR = { email: 'bea@example.org', name: 'Bea Berger', password: 'another long passphrase' };

/** Someone with an account: what signing in needs, and what creating the account needs. */
type Credentials = { email: string; password: string };
type Person = Credentials & { name: string };

/**
 * This worker's next PGlite Galley, started in the background: a describe block's server starts (a copy of the
 * template database and a PGlite start, about 4 s on a busy 2-core machine) while the previous block's tests
 * run, not between them. It is a server on an empty database like any other, and no test has seen it; one is
 * left unused when the worker ends, and is killed then (with its folder deleted).
 */
class SpareGalley {
	#next: SpareStart | undefined;

	constructor() {
		process.on('exit', () => {
			const next = this.#next;
			if (next?.child && next.child.exitCode === null) next.child.kill('SIGKILL');
			if (next?.folder) fs.rmSync(next.folder, { recursive: true, force: true });
		});
	}

	/** The spare's start (a failed one rejects there, in the describe block that takes it), or undefined. */
	take(): Promise<GalleyUnderTest> | undefined {
		const next = this.#next;
		this.#next = undefined;
		return next?.galley;
	}

	/** Start the next spare with `start`, which reports its folder and process as they come. */
	replenish(start: (started: StartHooks) => Promise<GalleyUnderTest>): void {
		const next: SpareStart = {};
		next.galley = start({ folder: (dir) => (next.folder = dir), spawned: (child) => (next.child = child) });
		next.galley.catch(() => {}); // reported when taken
		this.#next = next;
	}
}
/** What a starting server has made so far: what must go if the worker ends first. */
type StartHooks = { folder(dir: string | undefined): void; spawned(child: ChildProcess): void };
type SpareStart = { galley?: Promise<GalleyUnderTest>; folder?: string; child?: ChildProcess };
const spare = new SpareGalley();

/** One Galley server on its own fresh database, which can be killed and started again on the same data. */
export class GalleyUnderTest {
	private constructor(
		readonly database: GalleyTestDatabase,
		public server: RunningGalley
	) {}

	/**
	 * A Galley on a fresh database of `kind`. PGlite ones come from this worker's spare, started while the
	 * previous describe block's tests ran (see `spare`), and the next spare starts now.
	 */
	static async start(kind: DatabaseKind = 'pglite'): Promise<GalleyUnderTest> {
		if (kind !== 'pglite') return GalleyUnderTest.startNew(kind);
		const next = spare.take() ?? GalleyUnderTest.startNew('pglite');
		const galley = await next;
		spare.replenish((started) => GalleyUnderTest.startNew('pglite', started));
		return galley;
	}

	private static async startNew(kind: DatabaseKind, started?: StartHooks): Promise<GalleyUnderTest> {
		// PGlite: a copy of a cached, empty, migrated database (quicker than creating one).
		const database = await freshTestDatabase(kind);
		started?.folder(database.env.GALLEY_DATA_DIR);
		try {
			return new GalleyUnderTest(database, await startGalley(serverEnv(database), { onSpawn: started?.spawned }));
		} catch (err) {
			await database.drop();
			throw err;
		}
	}

	get url(): string {
		return this.server.url;
	}

	/** SIGKILL the server, as a crash or a pulled plug would, and start a new one on the same database. */
	async crashAndRestart(): Promise<void> {
		await this.server.kill();
		this.server = await startGalley(serverEnv(this.database));
	}

	/** Stop the server and delete its database. */
	async dispose(): Promise<void> {
		await this.server.stop();
		await this.database.drop();
	}

	/** After a failed test, attach the server's log to its report. */
	async attachOutputOnFailure(testInfo: TestInfo): Promise<void> {
		if (testInfo.status !== testInfo.expectedStatus) {
			await testInfo.attach('galley server output', { body: this.server.output(), contentType: 'text/plain' });
		}
	}
}

/** What `useGalley` sets up before the describe block's first test. */
export interface GalleyOptions {
	/** The database the server runs on: PGlite unless said (the specs that run on each of `databaseKinds()`). */
	kind?: DatabaseKind;
	/** An instance with no account at all, as a first visitor finds it. Otherwise the editor signs up through the API. */
	empty?: boolean;
	/** The other accounts, created by the editor through the API, in this order. */
	people?: [Person, 'editor' | 'contributor'][];
}

/**
 * The Galley shared by the tests of one describe block, started on a fresh database before its first test and
 * disposed of after its last; see `useGalley`. Its values exist only inside hooks and tests.
 */
class SharedGalley {
	#running: GalleyUnderTest | undefined;
	#editorApi: TestClient | undefined;
	/** The browser contexts opened by `contextFor` during the current test. */
	readonly #contexts: BrowserContext[] = [];

	constructor(private readonly options: GalleyOptions) {
		test.beforeAll(async () => {
			this.#running = await GalleyUnderTest.start(options.kind);
			if (options.empty) return;
			this.#editorApi = await setUpEditorViaApi(this.#running);
			for (const [person, role] of options.people ?? []) await createAccountViaApi(this.#editorApi, person, role);
		});
		test.afterEach(async ({}, testInfo) => {
			await this.#running?.attachOutputOnFailure(testInfo);
			await Promise.all(this.#contexts.splice(0).map((c) => c.close()));
		});
		test.afterAll(async () => {
			await this.#running?.dispose();
		});
	}

	/** The server and its database. */
	get underTest(): GalleyUnderTest {
		if (!this.#running) throw new Error('The shared Galley exists only inside hooks and tests (and once it has started).');
		return this.#running;
	}

	get url(): string {
		return this.underTest.url;
	}

	get server(): RunningGalley {
		return this.underTest.server;
	}

	/** SIGKILL the server and start a new one on the same database (see GalleyUnderTest). */
	crashAndRestart(): Promise<void> {
		return this.underTest.crashAndRestart();
	}

	/** The editor (the first account), signed in through the API. */
	get editorApi(): TestClient {
		if (!this.#editorApi) {
			throw new Error(this.options.empty ? 'This Galley was started empty: it has no editor account.' : 'The editor has not signed up yet.');
		}
		return this.#editorApi;
	}

	/** A new browser context signed in as `person`; closed after the test. */
	async contextFor(browser: Browser, person: Credentials): Promise<BrowserContext> {
		const context = await signedInContext(browser, this, person);
		this.#contexts.push(context);
		return context;
	}

	/** A page in a new browser context signed in as `person`; closed after the test. */
	async pageFor(browser: Browser, person: Credentials): Promise<Page> {
		return (await this.contextFor(browser, person)).newPage();
	}

	/** A new piece created by the editor through the API; returns its id. */
	async pieceViaApi(title: string, kind: 'brief' | 'article' | 'interview' = 'brief'): Promise<string> {
		const res = await this.editorApi.post('/api/pieces', { title, kind });
		expect(res.status, res.text).toBe(201);
		return res.json.piece.id;
	}
}

/**
 * Called inside a `test.describe`: its tests share one Galley on a fresh database. Registers the hooks that
 * start it (and create the accounts) before the first test, attach the server's log to a failed test and
 * close the test's browser contexts after each, and stop the server and drop its database after the last.
 * Hooks the describe block registers after this call run after these.
 */
export function useGalley(options: GalleyOptions = {}): SharedGalley {
	return new SharedGalley(options);
}
export type { SharedGalley };

/** Create the first account (the editor) through the API. */
export function setUpEditorViaApi(galley: { url: string }): Promise<TestClient> {
	return setUpEditor(galley.url);
}

/** Create a second account with a password through the API, as the signed-in editor. */
export async function createAccountViaApi(
	editor: TestClient,
	person: Person,
	role: 'editor' | 'contributor'
): Promise<void> {
	const res = await editor.post('/api/people', { ...person, role });
	if (res.status !== 201) throw new Error(`creating ${person.email} failed: ${res.status} ${res.text}`);
}

/** A new browser context (its own cookies, storage and IndexedDB) signed in as `person` through the API. */
export async function signedInContext(
	browser: Browser,
	galley: { url: string },
	person: Credentials
): Promise<BrowserContext> {
	const context = await browser.newContext();
	await signIn(context, galley, person);
	return context;
}

/** Sign a browser context in through the API (its cookie jar gets the session cookie). */
export async function signIn(context: BrowserContext, galley: { url: string }, person: Credentials) {
	const res = await context.request.post(`${galley.url}/api/auth/login`, {
		data: { email: person.email, password: person.password },
		headers: { origin: galley.url }
	});
	expect(res.status(), await res.text()).toBe(200);
}

/**
 * Collect the Content Security Policy violations `page` reports from now on: `securitypolicyviolation` events
 * in its documents, and console messages about the policy (what Chromium logs when it blocks something).
 */
export async function cspViolations(page: Page): Promise<string[]> {
	const violations: string[] = [];
	await page.exposeBinding('__galleyCspViolation', (_source, text: string) => void violations.push(text));
	await page.addInitScript(() => {
		document.addEventListener(
			'securitypolicyviolation',
			(e) => {
				const report = (window as unknown as { __galleyCspViolation(text: string): void }).__galleyCspViolation;
				report(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
			},
			true
		);
	});
	page.on('console', (message) => {
		if (/Content.Security.Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
	});
	return violations;
}

/** The parts of the piece editor page. */
export function editorPage(page: Page) {
	return {
		text: page.getByRole('textbox', { name: 'Piece text' }),
		connection: page.getByTestId('connection-status'),
		save: page.getByTestId('save-status'),
		people: page.getByRole('list', { name: 'People here' }),
		caretLabels: page.locator('[data-testid=editor] .collaboration-carets__label')
	};
}

/**
 * The piece's text (or one element's of its editor) as the reader sees it: other people's carets are widgets
 * inside the editable element whose name labels would otherwise show up in its textContent.
 */
export function pieceText(text: Locator): Promise<string> {
	return text.evaluate((el) => {
		const copy = el.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
		return copy.textContent ?? '';
	});
}

/** The texts of some elements of the editor, each without the other people's carets (see `pieceText`). */
export function textsOf(locator: Locator): Promise<string[]> {
	return locator.evaluateAll((els) =>
		els.map((el) => {
			const copy = el.cloneNode(true) as HTMLElement;
			copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
			return copy.textContent ?? '';
		})
	);
}

/** Open a piece and wait until its editor is connected and editable. */
export async function openPiece(page: Page, galley: { url: string }, pieceId: string) {
	await page.goto(`${galley.url}/pieces/${pieceId}`);
	const ed = editorPage(page);
	await expect(ed.connection).toHaveText('Connected');
	await expect(ed.text).toBeVisible();
	await expect(ed.text).toHaveAttribute('contenteditable', 'true');
	return ed;
}

/** Type at the end of the piece's text. */
export async function typeAtEnd(page: Page, text: Locator, words: string): Promise<void> {
	await text.click();
	await page.keyboard.press('ControlOrMeta+End');
	await page.keyboard.type(words);
}

/** Select `text` inside the piece's text, as a reader dragging over it would. */
export async function selectInEditor(page: Page, text: string) {
	await page.getByTestId('editor').evaluate((root, wanted) => {
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const at = node.textContent!.indexOf(wanted);
			if (at === -1) continue;
			const range = document.createRange();
			range.setStart(node, at);
			range.setEnd(node, at + wanted.length);
			const selection = document.getSelection()!;
			// done once the editor has read it: on the `selectionchange` the browser queues (a drag fires
			// them as it goes; a key pressed before the editor has read a selection made by a script acts
			// on the selection before it)
			const read = new Promise<void>((resolve) => document.addEventListener('selectionchange', () => resolve(), { once: true }));
			selection.removeAllRanges();
			selection.addRange(range);
			return read;
		}
		throw new Error(`no “${wanted}” in the editor`);
	}, text);
}

/** Create a piece through the UI on /pieces; returns its id. */
export async function createPieceInUi(page: Page, galley: { url: string }, title: string, kind = 'Article'): Promise<string> {
	await page.goto(`${galley.url}/pieces`);
	const create = page.getByRole('button', { name: 'Create piece' });
	await expect(create).toBeEnabled(); // the app has started in the page: the form's bindings are live
	// the new-piece form (the list's search and filters have a kind and a search of titles too)
	const form = page.getByRole('form', { name: 'New piece' });
	await form.getByLabel('Title', { exact: true }).fill(title);
	await form.getByLabel('Kind', { exact: true }).selectOption({ label: kind });
	await create.click();
	await page.waitForURL(/\/pieces\/[A-Za-z0-9_-]+$/);
	return new URL(page.url()).pathname.split('/').pop()!;
}

/**
 * Both people on one new piece: A (the editor) creates it through the UI, B (SECOND_EDITOR, who must have an
 * account on `galley`: `useGalley({ people: [[SECOND_EDITOR, 'editor']] })`) opens it.
 */
export async function twoPeopleOn(browser: Browser, galley: SharedGalley, title: string, kind: 'Interview' | 'Article' | 'Brief') {
	const a = await galley.pageFor(browser, EDITOR);
	const pieceId = await createPieceInUi(a, galley, title, kind);
	const edA = await openPiece(a, galley, pieceId);
	const b = await galley.pageFor(browser, SECOND_EDITOR);
	const edB = await openPiece(b, galley, pieceId);
	return { a, b, edA, edB, pieceId };
}

/** The piece's Markdown (GET /api/pieces/:id/content?format=markdown) as `page`'s signed-in person reads it. */
export async function markdownOf(page: Page, galley: { url: string }, pieceId: string): Promise<string> {
	const res = await page.request.get(`${galley.url}/api/pieces/${pieceId}/content?format=markdown`);
	expect(res.status()).toBe(200);
	return res.text();
}

/**
 * Route a context's collaboration websockets through the test, so they can be cut as a dropped network
 * cuts them (1006), or refused as the server refuses them (4503 when it cannot load the piece). Must be
 * installed before the context opens the page (only websockets created afterwards are routed).
 */
export async function cuttableCollab(context: BrowserContext) {
	let refuseWith: number | null = null;
	const open = new Set<WebSocketRoute>();
	/** Websockets let through to the real server so far, and websockets refused since `cut()`. */
	const state = { forwardedToServer: 0, refused: 0 };
	await context.routeWebSocket(/\/collab\//, (ws) => {
		if (refuseWith !== null) {
			// Closed before it reaches the server: 1006 as an unreachable server, or the code the server would send.
			state.refused += 1;
			void ws.close({ code: refuseWith });
			return;
		}
		state.forwardedToServer += 1;
		const server = ws.connectToServer();
		open.add(ws);
		// The page's side closed (by cut() or by the page itself): drop the server's side too. Closes from
		// the server (4009, 4003, …) reach the page unchanged, Playwright's default.
		ws.onClose(() => {
			open.delete(ws);
			void server.close();
		});
	});
	return {
		state,
		/** Close the open websockets and refuse new ones with `code` until `restore()`. */
		async cut(code = 1006) {
			refuseWith = code;
			await Promise.all([...open].map((ws) => ws.close({ code })));
		},
		restore() {
			refuseWith = null;
		}
	};
}

/** Click one of the export buttons (Markdown, HTML, PDF) of the page's export group; the downloaded file's name and bytes. */
export async function downloadExport(page: Page, button: 'Markdown' | 'HTML' | 'PDF') {
	const [download] = await Promise.all([
		page.waitForEvent('download', { timeout: 60_000 }),
		page.getByRole('group', { name: /^Export this/ }).getByRole('link', { name: button, exact: true }).click()
	]);
	return { name: download.suggestedFilename(), bytes: new Uint8Array(fs.readFileSync((await download.path())!)) };
}

/**
 * Waits for what must not happen within `withinMs`: `locator` coming to read exactly `text`. Fails as soon as
 * it does (rather than sleeping and looking once); passes when the bound ends without it.
 */
export async function neverReads(locator: Locator, text: string, withinMs: number): Promise<void> {
	const shown = await locator
		.filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
		.waitFor({ timeout: withinMs })
		.then(
			() => true,
			() => false
		);
	expect(shown, `${text} appeared within ${withinMs} ms`).toBe(false);
}
