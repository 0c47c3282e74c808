import { ApiError, NetworkError } from '../../api/problem';
import type { DocumentRow } from './types';

/**
 * Uploads one file with XMLHttpRequest (fetch reports no upload progress). The session cookie goes
 * along (same origin). Resolves with the accepted document, or rejects with ApiError (the
 * server's problem+json: 413, 415, 409, 429, 400) or NetworkError.
 */
export function uploadDocument(
  file: File,
  baseId: string,
  onProgress: (loaded: number, total: number) => void,
): { promise: Promise<DocumentRow>; abort(): void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<DocumentRow>((resolve, reject) => {
    xhr.open('POST', `/api/documents/upload?knowledge_base_id=${encodeURIComponent(baseId)}`);
    xhr.withCredentials = true;
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as DocumentRow);
      else reject(new ApiError(xhr.status, body));
    };
    xhr.onerror = () => reject(new NetworkError(new Error('upload failed')));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    const form = new FormData();
    form.append('knowledge_base_id', baseId);
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
