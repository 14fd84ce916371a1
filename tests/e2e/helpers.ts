// Helpers for the end-to-end tests: a Galley server per spec file (restartable on the same data), signed-in
// browser contexts, and the editor page's parts.
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import {
	freshDatabase,
	startGalley,
	type DatabaseKind,
	type GalleyTestDatabase,
	type RunningGalley
} from '../support/galley-server';
import { EDITOR, TestClient, setUpEditor } from '../support/api-client';

export { EDITOR };

/** The second person in the co-editing stories: an editor too, so the piece is visible to both. */
export const SECOND_EDITOR = { email: 'bea@example.org', name: 'Bea Berger', password: 'another long passphrase' };

/** One Galley server on its own fresh database, which can be killed and started again on the same data. */
export class GalleyUnderTest {
	private constructor(
		readonly database: GalleyTestDatabase,
		public server: RunningGalley
	) {}

	static async start(kind: DatabaseKind = 'pglite'): Promise<GalleyUnderTest> {
		const database = await freshDatabase(kind);
		const server = await startGalley(envFor(database));
		return new GalleyUnderTest(database, server);
	}

	get url(): string {
		return this.server.url;
	}

	/** SIGKILL the server, as a crash or a pulled plug would, and start a new one on the same database. */
	async crashAndRestart(): Promise<void> {
		await this.server.kill();
		this.server = await startGalley(envFor(this.database));
	}

	/** Stop the server and delete its database. Prints the server's output when asked (after a failure). */
	async dispose({ printOutput = false } = {}): Promise<void> {
		if (printOutput) console.log(`--- Galley server output (${this.url}) ---\n${this.server.output()}`);
		await this.server.stop();
		await this.database.drop();
	}
}

function envFor(database: GalleyTestDatabase): Record<string, string> {
	// Keep whatever the developer's shell holds from pointing the test server elsewhere.
	return { DATABASE_URL: '', REDIS_URL: '', GALLEY_DEMO: '', ...database.env };
}

/** Create the first account (the editor) through the API. */
export function setUpEditorViaApi(galley: GalleyUnderTest): Promise<TestClient> {
	return setUpEditor(galley.url);
}

/** Create a second account with a password through the API, as the signed-in editor. */
export async function createAccountViaApi(
	editor: TestClient,
	person: { email: string; name: string; password: string },
	role: 'editor' | 'contributor'
): Promise<void> {
	const res = await editor.post('/api/people', { ...person, role });
	if (res.status !== 201) throw new Error(`creating ${person.email} failed: ${res.status} ${res.text}`);
}

/** A new browser context (its own cookies, storage and IndexedDB) signed in as `person` through the API. */
export async function signedInContext(
	browser: Browser,
	galley: GalleyUnderTest,
	person: { email: string; password: string }
): Promise<BrowserContext> {
	const context = await browser.newContext();
	const res = await context.request.post(`${galley.url}/api/auth/login`, {
		data: { email: person.email, password: person.password },
		headers: { origin: galley.url }
	});
	expect(res.status(), await res.text()).toBe(200);
	return context;
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

/** Open a piece and wait until the editor is connected and in sync. */
export async function openPiece(page: Page, galley: GalleyUnderTest, pieceId: string) {
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

/** Create a piece through the UI on /pieces; returns its id. */
export async function createPieceInUi(page: Page, galley: GalleyUnderTest, title: string, kind = 'Article'): Promise<string> {
	await page.goto(`${galley.url}/pieces`);
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Kind').selectOption({ label: kind });
	await page.getByRole('button', { name: 'Create piece' }).click();
	await page.waitForURL(/\/pieces\/[A-Za-z0-9_-]+$/);
	return new URL(page.url()).pathname.split('/').pop()!;
}
