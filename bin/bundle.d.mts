/** Path of the bundle `bin/keel.mjs` runs. */
export declare const bundlePath: string;
/** Builds dist/keel.mjs when missing or older than a source file (or always, with `force`). */
export declare function ensureBundle(options?: { force?: boolean }): Promise<string>;
