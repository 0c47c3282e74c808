import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Log } from '../../../kernel/log/index.js';

/**
 * 'inotify': `fs.watch` on the file's directory (reacts within milliseconds on Linux; watching the
 * directory rather than the file survives editors and ConfigMap updates that replace the file by a
 * rename). 'poll': `onChange` every `pollMs`, for filesystems without inotify (NFS) or a directory
 * that does not exist yet; the caller recognises unchanged content by its hash. (Not
 * `fs.watchFile`: its first stat is taken asynchronously, so an edit made just after it starts can
 * become its baseline and never be reported; two edits of the same size within one timestamp tick
 * look alike too.) 'auto' tries inotify and falls back to polling.
 */
export type WatchMode = 'auto' | 'inotify' | 'poll';

export interface FileWatchOptions {
  mode?: WatchMode;
  /** Quiet time after the last inotify event before `onChange` runs (one save = several events). */
  debounceMs?: number;
  pollMs?: number;
  log: Log;
}

/** Calls `onChange` (debounced) whenever `path` may have changed; returns the function that stops it. */
export function watchPath(path: string, onChange: () => void, options: FileWatchOptions): () => void {
  const { mode = 'auto', debounceMs = 150, pollMs = 2_000, log } = options;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const changed = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    // A pending reload must not keep a process alive that is otherwise done.
    timer.unref();
  };

  let stopWatching: () => void;
  const poll = () => {
    const interval = setInterval(() => {
      if (!stopped) onChange();
    }, pollMs);
    interval.unref();
    return () => clearInterval(interval);
  };
  const inotify = () => {
    const name = basename(path);
    const watcher: FSWatcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
      if (filename === null || filename === name) changed();
    });
    watcher.on('error', (error) => {
      // The directory went away (or the watch broke): keep following the path by polling.
      log.warn({ err: error, path }, 'plan catalog watch failed; polling the file instead');
      watcher.close();
      if (!stopped) stopWatching = poll();
    });
    return () => watcher.close();
  };

  if (mode === 'poll') {
    stopWatching = poll();
  } else {
    try {
      stopWatching = inotify();
    } catch (error) {
      if (mode === 'inotify') throw error;
      log.info({ err: error, path }, 'plan catalog directory cannot be watched; polling the file instead');
      stopWatching = poll();
    }
  }
  return function stopWatchingPath() {
    stopped = true;
    clearTimeout(timer);
    stopWatching();
  };
}
