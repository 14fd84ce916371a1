// A Galley for a vitest describe block that drives it as a script does: started on a fresh database before the
// block's first test, with the editor set up and a Bearer-token client for them; stopped and its database dropped
// after the last.
import { afterAll, beforeAll } from 'vitest';
import { startGalley, type DatabaseKind, type GalleyTestDatabase, type RunningGalley } from './galley-server';
import { freshTestDatabase, serverEnv } from './test-database';
import { setUpEditor, tokenClient, type TestClient } from './api-client';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;

export interface ScriptedGalley {
	/** The server's base URL. */
	readonly url: string;
	/** The editor's Bearer-token client (no cookie, no Origin), its token named as `useScriptedGalley` was told. */
	readonly script: TestClient;
}

/** Called inside a `describe`: registers the hooks; the returned values exist inside its tests. */
export function useScriptedGalley(kind: DatabaseKind, tokenName: string): ScriptedGalley {
	let database: GalleyTestDatabase | undefined;
	let server: RunningGalley | undefined;
	let script: TestClient | undefined;
	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		server = await startGalley(serverEnv(database));
		script = await tokenClient(await setUpEditor(server.url), tokenName);
	}, START_TIMEOUT);
	afterAll(async () => {
		await server?.stop();
		await database?.drop();
	});
	const started = <T>(value: T | undefined): T => {
		if (value === undefined) throw new Error('The scripted Galley exists only inside the tests (once it has started).');
		return value;
	};
	return {
		get url() {
			return started(server).url;
		},
		get script() {
			return started(script);
		}
	};
}
