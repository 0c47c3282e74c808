import { ExtractionError } from '../extract.errors.js';
import { isRelationshipType, readCoreProperties, readRelationships, readXmlPart } from '../ooxml/package.js';
import {
  attrOf,
  childNamed,
  childrenOf,
  deepText,
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
 * DOCX from `word/document.xml` read directly (not through mammoth): paragraphs, headings (from
 * the paragraph style's name, "heading N", or its outline level), tables, text boxes. Reading the
 * XML ourselves gives page numbers — Word records where it last broke pages
 * (`w:lastRenderedPageBreak`); files from other editors get pages from explicit page breaks only —
 * and keeps every byte inflated under the zip-bomb guard.
 */
export async function extractDocx(bytes: Uint8Array, run: ExtractionRun): Promise<ExtractorResult> {
  const zip = openZip(bytes, run.limits);
  const mainPath = await mainDocumentPath(zip);
  const headingLevels = await readHeadingLevels(zip, mainPath);
  const root = await readXmlPart(zip, mainPath);
  const xml = await zip.readText(mainPath);
  run.checkpoint();
  run.progress(0.3);

  Object.assign(run.metadata, await readCoreProperties(zip));
  const walker = new BodyWalker(run, headingLevels, xml.includes('lastRenderedPageBreak'));
  const body = findFirst(root, 'body');
  if (!body) throw new ExtractionError('corrupt', 'the Word document has no body');
  walker.walk(childrenOf(body));
  run.progress(0.95);

  const declaredPages = await readDeclaredPageCount(zip);
  return { pageCount: declaredPages ?? walker.page };
}

async function mainDocumentPath(zip: ZipArchive): Promise<string> {
  const relationships = await readRelationships(zip, '');
  for (const relationship of relationships.values()) {
    if (isRelationshipType(relationship, 'officeDocument') && zip.has(relationship.target))
      return relationship.target;
  }
  if (zip.has('word/document.xml')) return 'word/document.xml';
  throw new ExtractionError('corrupt', 'the Word document has no main document part');
}

/** Paragraph style id → heading level, from the styles part. */
async function readHeadingLevels(zip: ZipArchive, mainPath: string): Promise<Map<string, number>> {
  const levels = new Map<string, number>();
  const relationships = await readRelationships(zip, mainPath);
  const stylesPath =
    [...relationships.values()].find((relationship) => isRelationshipType(relationship, 'styles'))?.target ??
    'word/styles.xml';
  if (!zip.has(stylesPath)) return levels;

  const styles = new Map<string, { name: string; basedOn?: string; outline?: number }>();
  const root = await readXmlPart(zip, stylesPath);
  for (const node of childrenOf(findFirst(root, 'styles') ?? {})) {
    if (tagOf(node) !== 'style' || attrOf(node, 'w:type') !== 'paragraph') continue;
    const id = attrOf(node, 'w:styleId');
    if (!id) continue;
    const name = attrOf(childNamed(node, 'name') ?? {}, 'w:val') ?? '';
    const basedOn = attrOf(childNamed(node, 'basedOn') ?? {}, 'w:val');
    const outline = attrOf(childNamed(childNamed(node, 'pPr') ?? {}, 'outlineLvl') ?? {}, 'w:val');
    styles.set(id, { name, basedOn, outline: outline === undefined ? undefined : Number(outline) });
  }

  const resolve = (id: string, depth: number): number | undefined => {
    const style = styles.get(id);
    if (!style || depth > 10) return undefined;
    const named = /^heading\s*([1-9])$/i.exec(style.name.trim())?.[1];
    if (named) return Number(named);
    if (/^title$/i.test(style.name.trim())) return 1;
    if (style.outline !== undefined && style.outline >= 0 && style.outline < 9) return style.outline + 1;
    return style.basedOn ? resolve(style.basedOn, depth + 1) : undefined;
  };
  for (const id of styles.keys()) {
    const level = resolve(id, 0);
    if (level !== undefined) levels.set(id, Math.min(level, 6));
  }
  return levels;
}

async function readDeclaredPageCount(zip: ZipArchive): Promise<number | undefined> {
  if (!zip.has('docProps/app.xml')) return undefined;
  const pages = Number(
    deepText(childrenOf(findFirst(await readXmlPart(zip, 'docProps/app.xml'), 'Pages') ?? {})),
  );
  return Number.isInteger(pages) && pages > 0 ? pages : undefined;
}

/** Elements whose text is not document text (deleted runs, field codes, properties). */
const SKIPPED = new Set([
  'del',
  'delText',
  'instrText',
  'rPr',
  'pPr',
  'fldData',
  'commentReference',
  'footnoteReference',
  'endnoteReference',
  'sectPr',
]);

class BodyWalker {
  page = 1;
  private readonly run: ExtractionRun;
  private readonly headingLevels: Map<string, number>;
  private readonly renderedBreaks: boolean;

  constructor(run: ExtractionRun, headingLevels: Map<string, number>, renderedBreaks: boolean) {
    this.run = run;
    this.headingLevels = headingLevels;
    this.renderedBreaks = renderedBreaks;
  }

  walk(nodes: XmlNode[]): void {
    for (const node of nodes) {
      const tag = tagOf(node);
      if (tag === 'p') this.paragraph(node);
      else if (tag === 'tbl') this.table(node);
      else if (!SKIPPED.has(tag) && tag !== '#text') this.walk(childrenOf(node));
    }
  }

  private paragraph(node: XmlNode): void {
    const textBoxes: XmlNode[] = [];
    const { text, startPage } = this.inlineText(node, textBoxes);
    const trimmed = text.trim();
    if (trimmed) {
      const level = this.headingLevel(node);
      const location = { page: startPage };
      this.run.push(
        level === undefined
          ? { kind: 'paragraph', text: trimmed, location }
          : { kind: 'heading', text: trimmed.replace(/\s+/g, ' '), level, location },
      );
    }
    for (const box of textBoxes) this.walk(childrenOf(box));
  }

  private headingLevel(paragraph: XmlNode): number | undefined {
    const properties = childNamed(paragraph, 'pPr');
    if (!properties) return undefined;
    const outline = attrOf(childNamed(properties, 'outlineLvl') ?? {}, 'w:val');
    if (outline !== undefined && Number(outline) < 9) return Math.min(Number(outline) + 1, 6);
    const style = attrOf(childNamed(properties, 'pStyle') ?? {}, 'w:val');
    return style === undefined ? undefined : this.headingLevels.get(style);
  }

  /**
   * A paragraph's text, counting page breaks as they pass; its page is the one current when its
   * first visible character comes (a break before any text moves the whole paragraph).
   */
  private inlineText(paragraph: XmlNode, textBoxes: XmlNode[]): { text: string; startPage: number } {
    let text = '';
    let startPage: number | undefined;
    const visit = (nodes: XmlNode[]) => {
      for (const node of nodes) {
        const tag = tagOf(node);
        if (SKIPPED.has(tag)) continue;
        switch (tag) {
          case 't':
            for (const child of childrenOf(node)) text += textOf(child);
            if (startPage === undefined && text.trim() !== '') startPage = this.page;
            break;
          case 'tab':
            text += '\t';
            break;
          case 'br':
          case 'cr':
            if (attrOf(node, 'w:type') === 'page' && !this.renderedBreaks) this.page++;
            text += '\n';
            break;
          case 'lastRenderedPageBreak':
            if (this.renderedBreaks) this.page++;
            break;
          case 'noBreakHyphen':
            text += '-';
            break;
          case 'txbxContent':
            textBoxes.push(node);
            break;
          case 'AlternateContent':
            // The same drawing twice (a modern Choice and a VML Fallback): read the first only.
            visit([firstElement(node) ?? {}]);
            break;
          default:
            visit(childrenOf(node));
        }
      }
    };
    visit(childrenOf(paragraph));
    return { text, startPage: startPage ?? this.page };
  }

  private table(node: XmlNode): void {
    const startPage = this.page;
    const rows: string[][] = [];
    for (const row of childrenOf(node)) {
      if (tagOf(row) !== 'tr') continue;
      const cells = childrenOf(row)
        .filter((cell) => tagOf(cell) === 'tc')
        .map((cell) => this.cellText(cell));
      if (cells.some((cell) => cell !== '')) rows.push(cells);
    }
    if (rows.length > 0) this.run.push(tableBlock(rows, { page: startPage }));
  }

  /** A cell's paragraphs joined by line breaks; a nested table's text is part of its cell. */
  private cellText(cell: XmlNode): string {
    const parts: string[] = [];
    const visit = (nodes: XmlNode[]) => {
      for (const node of nodes) {
        const tag = tagOf(node);
        if (tag === 'p') {
          const text = this.inlineText(node, []).text.trim();
          if (text) parts.push(text);
        } else if (!SKIPPED.has(tag) && tag !== '#text') {
          visit(childrenOf(node));
        }
      }
    };
    visit(childrenOf(cell));
    return parts.join('\n');
  }
}
