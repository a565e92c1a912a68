/**
 * The input the compressors read: deterministic pseudo-text (words from a fixed vocabulary picked
 * by a linear congruential generator, with numbers and line breaks), so every run and every
 * machine compresses the same bytes, and the data compresses like prose rather than like noise
 * or a repeated pattern.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an ' +
  'they you were her she there one all we their been has when who will more no if out so said what up its ' +
  'about into than them can only other new some could time these two may then do first any my now such like ' +
  'memory register branch translate block guest host kernel signal thread buffer compress archive table query'
).split(' ');

/** Writes `bytes` bytes of the text to `file` unless it exists already; returns the path. */
export function textInput(file, bytes) {
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const out = Buffer.alloc(bytes);
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  let at = 0;
  let column = 0;
  while (at < bytes) {
    const r = next();
    const word = r % 17 === 0 ? String(r % 100000) : WORDS[r % WORDS.length];
    at += out.write(word, at, 'latin1');
    column += word.length + 1;
    if (at < bytes) out[at++] = column > 72 ? 10 : 32;
    if (column > 72) column = 0;
  }
  writeFileSync(`${file}.tmp`, out);
  renameSync(`${file}.tmp`, file);
  return file;
}
