import { ExtractionError } from '../extract.errors.js';
import type { Location } from '../extract.types.js';
import { isRelationshipType, readCoreProperties, readRelationships, readXmlPart } from '../ooxml/package.js';
import {
  attrOf,
  childNamed,
  childrenOf,
  findAll,
  findFirst,
  firstElement,
  tagOf,
  textOf,
  type XmlNode,
} from '../ooxml/xml.js';
import { openZip, type ZipArchive } from '../ooxml/zip.js';
import type { ExtractionRun } from '../run.js';
import { tableBlock } from '../table.js';
import type { ExtractorResult } from './extractor.js';

/**
 * PPTX through its OOXML parts: slides in presentation order (`p:sldIdLst`), each slide's title
 * placeholder as a heading, its other shapes as paragraphs, its tables as table blocks, then the
 * speaker notes (the notes slide's body placeholder).
 */
export async function extractPptx(bytes: Uint8Array, run: ExtractionRun): Promise<ExtractorResult> {
  const zip = openZip(bytes, run.limits);
  const presentationPath = await presentationPartPath(zip);
  const presentation = await readXmlPart(zip, presentationPath);
  const relationships = await readRelationships(zip, presentationPath);
  const slidePaths = findAll(presentation, 'sldId')
    .map((slide) => relationships.get(attrOf(slide, 'r:id') ?? '')?.target)
    .filter((path): path is string => path !== undefined && zip.has(path));

  if (slidePaths.length > run.limits.maxSlides) {
    throw new ExtractionError(
      'too_large',
      `the presentation has ${slidePaths.length} slides; the limit is ${run.limits.maxSlides}`,
    );
  }
  Object.assign(run.metadata, await readCoreProperties(zip));

  for (const [index, slidePath] of slidePaths.entries()) {
    run.checkpoint();
    const slide = index + 1;
    await readShapes(zip, slidePath, run, { slide, part: 'body' }, 'slide');
    const notes = [...(await readRelationships(zip, slidePath)).values()].find((relationship) =>
      isRelationshipType(relationship, 'notesSlide'),
    );
    if (notes && zip.has(notes.target))
      await readShapes(zip, notes.target, run, { slide, part: 'notes' }, 'notes');
    run.progress((slide / slidePaths.length) * 0.95);
  }
  return { slideCount: slidePaths.length };
}

async function presentationPartPath(zip: ZipArchive): Promise<string> {
  for (const relationship of (await readRelationships(zip, '')).values()) {
    if (isRelationshipType(relationship, 'officeDocument') && zip.has(relationship.target))
      return relationship.target;
  }
  if (zip.has('ppt/presentation.xml')) return 'ppt/presentation.xml';
  throw new ExtractionError('corrupt', 'the presentation has no presentation part');
}

const TITLE_PLACEHOLDERS = new Set(['title', 'ctrTitle']);
/** Placeholders on a notes page that are not the notes: the slide image, number, header, date. */
const NOTES_CHROME = new Set(['sldImg', 'sldNum', 'hdr', 'ftr', 'dt']);

async function readShapes(
  zip: ZipArchive,
  path: string,
  run: ExtractionRun,
  location: Location,
  part: 'slide' | 'notes',
): Promise<void> {
  const root = await readXmlPart(zip, path);
  const tree = findFirst(root, 'spTree');
  if (!tree) return;
  const visit = (nodes: XmlNode[]) => {
    for (const node of nodes) {
      const tag = tagOf(node);
      if (tag === 'grpSp') {
        visit(childrenOf(node));
      } else if (tag === 'sp') {
        const placeholder = attrOf(findFirst(childrenOf(node), 'ph') ?? {}, 'type');
        if (part === 'notes' && placeholder !== undefined && NOTES_CHROME.has(placeholder)) continue;
        const body = childNamed(node, 'txBody');
        const text = body ? textBodyText(body) : '';
        if (!text) continue;
        if (part === 'slide' && placeholder !== undefined && TITLE_PLACEHOLDERS.has(placeholder)) {
          run.push({ kind: 'heading', text: text.replace(/\s+/g, ' '), level: 1, location });
        } else {
          run.push({ kind: 'paragraph', text, location });
        }
      } else if (tag === 'graphicFrame') {
        const table = findFirst(childrenOf(node), 'tbl');
        if (table) pushTable(table, run, location);
      } else if (tag === 'AlternateContent') {
        // Newer shape kinds come as a Choice and a Fallback of the same content: read the first.
        const choice = firstElement(node);
        if (choice) visit(childrenOf(choice));
      }
    }
  };
  visit(childrenOf(tree));
}

function pushTable(table: XmlNode, run: ExtractionRun, location: Location): void {
  const rows = childrenOf(table)
    .filter((row) => tagOf(row) === 'tr')
    .map((row) =>
      childrenOf(row)
        .filter((cell) => tagOf(cell) === 'tc')
        .map((cell) => {
          const body = childNamed(cell, 'txBody');
          return body ? textBodyText(body) : '';
        }),
    )
    .filter((cells) => cells.some((cell) => cell !== ''));
  if (rows.length > 0) run.push(tableBlock(rows, location));
}

/** DrawingML text: one line per `a:p`, `a:br` a line break, fields (slide numbers, dates) kept. */
function textBodyText(body: XmlNode): string {
  const lines: string[] = [];
  for (const paragraph of childrenOf(body)) {
    if (tagOf(paragraph) !== 'p') continue;
    let line = '';
    for (const run of childrenOf(paragraph)) {
      const tag = tagOf(run);
      if (tag === 'r' || tag === 'fld') {
        for (const text of childrenOf(childNamed(run, 't') ?? {})) line += textOf(text);
      } else if (tag === 'br') {
        line += '\n';
      }
    }
    if (line.trim()) lines.push(line.trim());
  }
  return lines.join('\n');
}
