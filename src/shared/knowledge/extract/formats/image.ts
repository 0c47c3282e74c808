import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readlink, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { detectType, MIME } from '../detect.js';
import { ExtractionError } from '../extract.errors.js';
import type { ExtractionRun } from '../run.js';
import type { ExtractorResult } from './extractor.js';
import { imageSize } from './image-size.js';

/**
 * Images through tesseract.js OCR, English plus Korean when Korean data is installed. Everything
 * is local: the worker script and wasm core come from node_modules (tesseract.js's Node defaults),
 * English data from `@tesseract.js-data/eng`, Korean from Debian's `tesseract-ocr-kor`. The cache
 * is off so nothing is written to the working directory.
 */

const require = createRequire(import.meta.url);

/** tessdata_best_int English, gzipped, as tesseract.js ships it. */
const ENGLISH_DATA = join(
  dirname(require.resolve('@tesseract.js-data/eng/package.json')),
  '4.0.0_best_int',
  'eng.traineddata.gz',
);

/** Where Debian's `tesseract-ocr-kor` installs the Korean model. */
export const DEBIAN_KOREAN_DATA = '/usr/share/tesseract-ocr/5/tessdata/kor.traineddata';

interface LanguageData {
  langPath: string;
  languages: 'eng' | 'eng+kor';
  warning?: string;
}

const languageData = new Map<string, Promise<LanguageData>>();

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * tesseract.js reads every language from one folder (`langPath`), and its per-language data
 * option is broken in 7.0.0 (it passes the data where the code belongs). So the two files, which
 * live in two folders, are linked into one folder under the system temp directory, named by
 * their sources. tesseract.js recognizes gzipped data by its magic bytes, so `gzip: false` reads
 * both.
 */
function prepareLanguageData(koreanPath: string): Promise<LanguageData> {
  let prepared = languageData.get(koreanPath);
  if (!prepared) {
    prepared = (async () => {
      const korean = await exists(koreanPath);
      const hash = createHash('sha256')
        .update(`${ENGLISH_DATA}\n${korean ? koreanPath : ''}`)
        .digest('hex');
      const langPath = join(tmpdir(), `keel-tessdata-${hash.slice(0, 16)}`);
      await mkdir(langPath, { recursive: true });
      await link(ENGLISH_DATA, join(langPath, 'eng.traineddata'));
      if (!korean) {
        return {
          langPath,
          languages: 'eng',
          warning: `Korean OCR data is not installed (${koreanPath}; Debian package tesseract-ocr-kor): OCR ran in English only`,
        };
      }
      await link(koreanPath, join(langPath, 'kor.traineddata'));
      return { langPath, languages: 'eng+kor' };
    })();
    // A failure (a read-only temp directory) is retried on the next image, not cached.
    prepared.catch(() => languageData.delete(koreanPath));
    languageData.set(koreanPath, prepared);
  }
  return prepared;
}

async function link(target: string, path: string): Promise<void> {
  const current = await readlink(path).catch(() => undefined);
  if (current === target) return;
  await rm(path, { force: true });
  try {
    await symlink(target, path);
  } catch (error) {
    // Another process linked it first.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

export async function extractImage(bytes: Uint8Array, run: ExtractionRun): Promise<ExtractorResult> {
  const size = imageSize(bytes);
  if (size && size.width * size.height > run.limits.maxImagePixels) {
    throw new ExtractionError(
      'too_large',
      `the image is ${size.width} × ${size.height} pixels; the limit is ${run.limits.maxImagePixels.toLocaleString('en-US')} pixels`,
    );
  }
  const language = await prepareLanguageData(run.ocr.koreanDataPath ?? DEBIAN_KOREAN_DATA).catch(
    (error: unknown) => {
      throw ocrUnavailable(error);
    },
  );
  run.metadata.ocrLanguages = language.languages;
  if (language.warning) run.metadata.warning = language.warning;
  if (size) {
    run.metadata.width = size.width;
    run.metadata.height = size.height;
  }
  run.checkpoint();

  const { default: Tesseract } = await import('tesseract.js');
  let worker: Tesseract.Worker | undefined;
  const stop = () => {
    worker?.terminate().catch(() => undefined);
  };
  run.signal.addEventListener('abort', stop, { once: true });
  try {
    worker = await Tesseract.createWorker(language.languages, Tesseract.OEM.LSTM_ONLY, {
      langPath: language.langPath,
      gzip: false,
      cacheMethod: 'none',
      logger: (message) => {
        if (message.status === 'recognizing text') run.progress(0.1 + message.progress * 0.85);
      },
      // Failures also reject the call that caused them; this only keeps them off the console.
      errorHandler: () => undefined,
    }).catch((error: unknown) => {
      run.checkpoint();
      throw ocrUnavailable(error);
    });
    run.checkpoint();
    const { data } = await worker.recognize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    run.checkpoint();
    run.metadata.ocrConfidence = Math.round(data.confidence);
    const paragraphs = ocrParagraphs(data.text);
    if (paragraphs.length === 0) {
      throw new ExtractionError('no_text', 'no text was found in the image');
    }
    for (const text of paragraphs) run.push({ kind: 'image-caption', text, location: { image: true } });
    return {};
  } catch (error) {
    run.checkpoint();
    if (error instanceof ExtractionError) throw error;
    throw unreadable(bytes, error);
  } finally {
    run.signal.removeEventListener('abort', stop);
    await worker?.terminate().catch(() => undefined);
  }
}

/** The server cannot run OCR at all (no temp directory, broken language data): not the image's fault. */
function ocrUnavailable(error: unknown): ExtractionError {
  return new ExtractionError('unsupported', 'OCR is not available on this server, so images cannot be read', {
    cause: error,
  });
}

function unreadable(bytes: Uint8Array, error: unknown): ExtractionError {
  const cause = error instanceof Error ? error : new Error(String(error));
  if (detectType(bytes).mime === MIME.tiff) {
    return new ExtractionError(
      'unsupported',
      'this kind of TIFF image cannot be read for OCR; convert it to PNG and upload it again',
      { cause },
    );
  }
  return new ExtractionError('corrupt', 'the image is damaged and cannot be read', { cause });
}

/**
 * OCR output to paragraphs: blank lines separate them, lines without a letter or digit (specks
 * read as `|` or `~`) are dropped, and Hangul syllables Tesseract spaced apart are joined again.
 */
export function ocrParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => joinSpacedSyllables(line.trim()))
        .filter((line) => /[\p{L}\p{N}]/u.test(line))
        .join('\n'),
    )
    .filter((paragraph) => paragraph !== '');
}

const HANGUL_SYLLABLE = /^\p{Script=Hangul}$/u;

/**
 * Tesseract's Korean model often spaces out the syllables of a word ("사 용 량 이"): runs of two or
 * more single-syllable tokens are joined ("사용량이"). Korean does write some one-syllable words
 * apart, so this can join two of them; for search, a split word costs more than a joined pair.
 */
export function joinSpacedSyllables(line: string): string {
  const tokens = line.split(' ');
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 2) out.push(run.join(''));
    else out.push(...run);
    run = [];
  };
  for (const token of tokens) {
    if (HANGUL_SYLLABLE.test(token)) run.push(token);
    else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out.join(' ');
}
