// The made-up Basin Watch article the section stories share: an opening paragraph, then two sections,
// "The ferry" (heading id `sec-ferry`) and "The dam" (`sec-dam`), each with one paragraph. Written over the
// websocket as a stock y-websocket client would, and returned once the server has stored it.
import * as Y from 'yjs';
import { expect } from '@playwright/test';
import { connectCollab } from './collab-client';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';

export const FERRY_AND_DAM = ['Basin Watch opens the week.', 'The ferry', 'Ferry text.', 'The dam', 'Dam text.'];

function block(name: string, text: string, attrs: Record<string, unknown> = {}): Y.XmlElement {
	const el = new Y.XmlElement(name);
	for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
	el.insert(0, [new Y.XmlText(text)]);
	return el;
}

/** Replaces the piece's body with the ferry-and-dam article and waits until the server has stored it. */
export async function writeFerryAndDam(wsUrl: string, pieceId: string, token: string): Promise<void> {
	const writer = connectCollab(wsUrl, pieceId, { token }, { presence: false });
	try {
		await writer.synced;
		const body = writer.doc.getXmlFragment(BODY_FRAGMENT);
		writer.doc.transact(() => {
			body.delete(0, body.length);
			body.insert(0, [
				block('paragraph', FERRY_AND_DAM[0]),
				block('heading', FERRY_AND_DAM[1], { level: 2, id: 'sec-ferry' }),
				block('paragraph', FERRY_AND_DAM[2]),
				block('heading', FERRY_AND_DAM[3], { level: 2, id: 'sec-dam' }),
				block('paragraph', FERRY_AND_DAM[4])
			]);
		});
		const frame = writer.framesSent();
		await expect.poll(() => writer.settledFrames()).toBeGreaterThanOrEqual(frame);
	} finally {
		writer.destroy();
	}
}
