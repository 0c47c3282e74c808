import type { Reply } from '../../api/types';

export type Repository = Reply<'/commits/repositories', 'get'>['items'][number];
export type RequestRow = Reply<'/commits/requests', 'get'>['items'][number];
type RawDetail = Reply<'/commits/requests/{id}', 'get'>;
export type LinkDetail = Reply<'/commits/review/{token}', 'get'>;

export type RequestStatus = 'ready' | 'approved' | 'rejected' | 'committed' | 'pushed' | 'push_failed';
export const requestStatuses: readonly RequestStatus[] = [
  'ready',
  'approved',
  'rejected',
  'committed',
  'pushed',
  'push_failed',
];

export interface Violation {
  rule: string;
  level: 'block' | 'warn';
  message: string;
  fixed: boolean;
}

export interface DiffLine {
  kind: 'add' | 'del' | 'context';
  text: string;
}

export interface Hunk {
  oldStart: number;
  newStart: number;
  section: string;
  lines: DiffLine[];
}

/** A changed declaration of a file; its lines are on the new side. */
export interface FileElement {
  id: string;
  name: string;
  kind: string;
  change: string;
  startLine: number;
  endLine: number;
  /** One of the scoping's Top-10. */
  top: boolean;
}

export interface ChangedFile {
  path: string;
  oldPath: string | null;
  status: string;
  addedLines: number;
  removedLines: number;
  hunks: Hunk[];
  elements: FileElement[];
}

export interface TopElement {
  id: string;
  file: string;
  name: string;
  kind: string;
  change: string;
  added: number;
  removed: number;
  guardAdded: boolean;
}

export interface Theme {
  label: string;
  share: number;
  type: string;
  scope: string | null;
  files: string[];
}

export interface Scoping {
  top: TopElement[];
  themes: Theme[];
  /** False: the themes have nothing in common, the change could be split. */
  relatedThemes: boolean;
}

export type Draft = Omit<RawDetail['drafts'][number], 'violations'> & { violations: Violation[] };

/** A generation request as the review page reads it (the parts the OpenAPI document leaves open, narrowed). */
export interface ReviewDetail {
  id: string;
  repositoryId: string;
  /** The repository's name when the server sends it (`repository_name`; a link page has no other way to learn it). */
  repositoryName: string | null;
  status: RequestStatus;
  branch: string | null;
  headSha: string | null;
  files: number;
  addedLines: number;
  removedLines: number;
  truncated: boolean;
  skipped: RawDetail['skipped'];
  drafts: Draft[];
  filesChanged: ChangedFile[];
  scoping: Scoping | null;
  finalized: RawDetail['finalized'];
  /** When the review link stops working (link pages only). */
  linkExpiresAt: string | null;
}

// The OpenAPI document types violations, hunks, elements and scoping as `unknown` (JSON columns):
// read them defensively, so a shape change on the server shows less, never a blank page.
type Json = Record<string, unknown>;
const record = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function violationOf(raw: unknown): Violation {
  const v = record(raw);
  return {
    rule: text(v.rule),
    level: v.level === 'block' ? 'block' : 'warn',
    message: text(v.message),
    fixed: v.fixed === true,
  };
}

function hunkOf(raw: unknown): Hunk {
  const h = record(raw);
  return {
    oldStart: count(h.oldStart),
    newStart: count(h.newStart),
    section: text(h.section),
    lines: list(h.lines).map((l) => {
      const line = record(l);
      const kind = line.kind === 'add' || line.kind === 'del' ? line.kind : 'context';
      return { kind, text: text(line.text) };
    }),
  };
}

function elementOf(raw: unknown): FileElement {
  const e = record(raw);
  return {
    id: text(e.id),
    name: text(e.name),
    kind: text(e.kind),
    change: text(e.change),
    startLine: count(e.start_line),
    endLine: count(e.end_line),
    top: e.top === true,
  };
}

function scopingOf(raw: RawDetail['scoping']): Scoping | null {
  if (!raw) return null;
  return {
    top: list(raw.top).map((item) => {
      const e = record(item);
      return {
        id: text(e.id),
        file: text(e.file),
        name: text(e.name),
        kind: text(e.kind),
        change: text(e.change),
        added: count(e.added),
        removed: count(e.removed),
        guardAdded: e.guard_added === true,
      };
    }),
    themes: list(raw.themes).map((item) => {
      const t = record(item);
      return {
        label: text(t.label),
        share: count(t.share),
        type: text(t.type),
        scope: typeof t.scope === 'string' ? t.scope : null,
        files: list(t.files).map((f) => text(f)),
      };
    }),
    relatedThemes: raw.related_themes !== false,
  };
}

function statusOf(raw: string): RequestStatus {
  return requestStatuses.find((s) => s === raw) ?? 'ready';
}

/** The detail of `GET /commits/requests/:id` (or of a review link) as the page uses it. */
export function reviewDetail(raw: RawDetail | LinkDetail): ReviewDetail {
  return {
    id: raw.id,
    repositoryId: raw.repository_id,
    repositoryName:
      typeof record(raw).repository_name === 'string' ? text(record(raw).repository_name) : null,
    status: statusOf(raw.status),
    branch: raw.branch,
    headSha: raw.head_sha,
    files: raw.files,
    addedLines: raw.added_lines,
    removedLines: raw.removed_lines,
    truncated: raw.truncated,
    skipped: raw.skipped,
    drafts: raw.drafts.map((d) => ({ ...d, violations: list(d.violations).map(violationOf) })),
    filesChanged: raw.files_changed.map((f) => ({
      path: f.path,
      oldPath: f.old_path,
      status: f.status,
      addedLines: f.added_lines,
      removedLines: f.removed_lines,
      hunks: list(f.hunks).map(hunkOf),
      elements: list(f.elements).map(elementOf),
    })),
    scoping: scopingOf(raw.scoping),
    finalized: raw.finalized,
    linkExpiresAt: 'link' in raw ? raw.link.expires_at : null,
  };
}
