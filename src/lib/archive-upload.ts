// The browser's side of the issue import: a file read with progress, and the text sent to
// POST /api/issues/import with upload progress (fetch reports none), its error body turned into an ApiError.
import { ApiError } from './api-client';

export type Progress = (done: number, total: number) => void;

/** A chosen file's text, with progress while it is read. */
export function readFileText(file: File, progress: Progress): Promise<string> {
	return new Promise((resolve, reject) => {
		const reader = new FileReader();
		reader.onprogress = (e) => progress(e.loaded, e.lengthComputable ? e.total : file.size);
		reader.onload = () => resolve(String(reader.result ?? ''));
		reader.onerror = () => reject(new ApiError(`The file ${file.name} could not be read`, 0));
		reader.readAsText(file);
	});
}

/** POST the text (text/plain) to the import, `dryRun` or for real; progress while it is sent. */
export function sendArchive<T>(text: string, dryRun: boolean, progress: Progress): Promise<T> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', `/api/issues/import${dryRun ? '?dryRun=1' : ''}`);
		xhr.setRequestHeader('content-type', 'text/plain; charset=utf-8');
		xhr.upload.onprogress = (e) => progress(e.loaded, e.total);
		xhr.onload = () => {
			let data: { error?: { message?: string; field?: string } } | null = null;
			try {
				data = JSON.parse(xhr.responseText);
			} catch {
				/* not JSON */
			}
			if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
			else reject(new ApiError(data?.error?.message ?? `The import failed (${xhr.status})`, xhr.status, data?.error?.field));
		};
		xhr.onerror = () => reject(new ApiError('Galley cannot be reached. Check your connection and try again.', 0));
		xhr.send(text);
	});
}
