import { useEffect, useRef, useState } from 'react';

export type StreamState = 'connecting' | 'open' | 'closed';

/**
 * Server-sent events from a same-origin GET stream (the session cookie goes with it). The browser
 * reconnects by itself after a drop; `null` as the URL closes the stream. `events` names the
 * event types to listen for besides the default `message`.
 *
 * @example
 * const state = useEventSource(`/jobs/${id}/events`, (e) => setProgress(JSON.parse(e.data)), ['progress']);
 */
export function useEventSource(
  url: string | null,
  onEvent: (event: MessageEvent<string>) => void,
  events: readonly string[] = [],
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const eventKey = events.join(',');

  useEffect(() => {
    if (url === null) {
      setState('closed');
      return;
    }
    const source = new EventSource(url);
    const listener = (event: MessageEvent<string>) => handler.current(event);
    setState('connecting');
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    source.addEventListener('message', listener);
    const names = eventKey ? eventKey.split(',') : [];
    for (const name of names) source.addEventListener(name, listener);
    return () => {
      source.close();
    };
  }, [url, eventKey]);

  return state;
}
