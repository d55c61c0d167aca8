/**
 * Documentation placeholders are not secrets: `<signature>`, `XXXX`, `REDACTED`, `...`,
 * `${SAS}`, `{{sig}}`, `your-key-here`. Shared by every rule so all of them agree.
 * The word list only holds words long enough that a random Base64 string essentially never
 * contains them, so a real credential is never dismissed as an example.
 */
const PLACEHOLDER_WORDS = /(?:redacted|placeholder|example|changeme|replace_?me|signature|your[-_]?(?:key|token|sig|secret|password|pass|account)|secret[-_]?here|token[-_]?here|key[-_]?here|insert[-_]?(?:key|token|here))/i;

export function looksLikePlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^[<{[(]|[>}\])]$/.test(v) || /\$\{|\{\{|%3C|%7B|\*\*\*|\.\.\.|…/i.test(v)) return true;
  if (/^(.)\1+=*$/.test(v.replace(/%3d/gi, '='))) return true; // XXXX, 0000, AAAA=
  if (/X{5,}|x{5,}|0{8,}/.test(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  return lowVariety(v);
}

/** Few distinct characters for its length: `abcabcabc…`, `1234567890…`. */
export function lowVariety(v: string): boolean {
  const distinct = new Set(v.replace(/[=%]/g, '')).size;
  return v.length >= 16 && distinct < Math.min(10, v.length / 4);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s.length) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Placeholders by shape, for rules that know a secret only by where it is written (generic
 * rules): what a person types when a value is needed but not a real one. Returns why the value
 * is a placeholder, or null. Each test is one shape, cheap, and rare in a random string:
 *   - words that name a sample (`fake`, `dummy`, `example`…) or hex filler (`deadbeef`);
 *   - sequences (`abcdef`, `123456`, `a1b2c3`) and repetitions (`abcabcabc`);
 *   - fewer distinct characters than a random string of its alphabet and length would have;
 *   - made only of dictionary words (`sessiontoken123`, `P@ssw0rd!`), or natural-language
 *     text (a UI label in another language);
 *   - not a secret at all: a file path, a CSS selector, an ARN, a `word|word` enumeration.
 * Not for rules whose format has a checksum: those are judged by their checksum.
 */
export function placeholderShape(value: string): string | null {
  const v = value.trim();
  if (looksLikePlaceholder(v)) return 'placeholder text';
  const reference = referenceShape(v);
  if (reference) return reference;
  const marker = SAMPLE_WORDS.exec(v) ?? HEX_FILLER.exec(v);
  if (marker) return `names itself a sample ("${marker[0]}")`;
  if (sequential(v)) return 'a sequence of consecutive characters';
  if (repeatedUnit(v)) return 'a repeated pattern';
  if (fewDistinctForAlphabet(v)) return 'too few distinct characters for a random value of its alphabet';
  if (naturalLanguage(v)) return 'natural-language text, not a generated value';
  if (dictionaryWords(v)) return 'made of dictionary words';
  return null;
}

/** Words that say a value is a sample; long enough that random Base64 practically never holds one. */
const SAMPLE_WORDS = /fake|dummy|sample|example|placeholder|mock|bogus|notreal|not[-_ ]?a[-_ ]?real|lorem|ipsum|qwerty|asdfgh|zxcvbn|changeit|changeme/i;
/** Hex words people fill a value with. */
const HEX_FILLER = /deadbeef|cafebabe|feedface|baadf00d|8badf00d|decafbad|c0ffee|facefeed|0ddba11|badc0de/i;

/** Values that point at a secret or are something else entirely. */
export function referenceShape(v: string): string | null {
  if (/^arn:aws[\w-]*:/i.test(v)) return 'an ARN (a reference to a secret, not the secret)';
  if (/^projects\/[^/]+\/secrets\//.test(v)) return 'a Secret Manager name (a reference)';
  // `@/etc/passwd`, `~/.netrc`, `./secret.txt`, `bin/cli.js`: paths to files
  if (/^@?(?:~|\.{1,2})?(?:\/[a-z0-9_.-]+)+\/?$/.test(v) || /^(?:[\w@.-]+\/)+[\w@-]+\.[a-z][a-z0-9]{0,4}$/i.test(v)) return 'a file path';
  if (/^[#.][a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/.test(v) || /^[a-z]*\[[a-z-]+(?:[~|^$*]?=[^\]]*)?\]$/i.test(v)) return 'a CSS selector';
  if (/^[a-z]+(?:\|[a-z]+)+$/.test(v)) return 'an enumeration of words';
  return null;
}

/** Longest run of characters whose codes step by +1 or -1 (digits wrap: `…7890`). */
function longestRun(s: string): number {
  let best = s.length ? 1 : 0;
  let run = 1;
  let step = 0;
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1);
    const b = s.charCodeAt(i);
    const d = a === 57 && b === 48 ? 1 : b - a; // 9 → 0
    const sameClass = charClass(s[i - 1]!) === charClass(s[i]!);
    if (sameClass && (d === 1 || d === -1) && (run === 1 || d === step)) {
      run++;
      step = d;
    } else {
      run = 1;
      step = 0;
    }
    best = Math.max(best, run);
  }
  return best;
}

function charClass(c: string): number {
  return /[a-z]/.test(c) ? 0 : /[A-Z]/.test(c) ? 1 : /[0-9]/.test(c) ? 2 : 3;
}

/** `abcdef`, `654321`, or letters and digits that each count up: `a1b2c3d4`. */
export function sequential(v: string): boolean {
  if (longestRun(v) >= 6) return true;
  const letters = v.replace(/[^a-z]/gi, '');
  const digits = v.replace(/[^0-9]/g, '');
  return letters.length >= 3 && digits.length >= 3 && letters.length + digits.length >= v.length - 2 && longestRun(letters) === letters.length && longestRun(digits) === digits.length;
}

/** The whole value is one short unit said again and again (`abcabcabc`, `deadbeefdeadbeef`). */
export function repeatedUnit(v: string): boolean {
  if (v.length < 8) return false;
  for (let n = 1; n <= Math.min(16, v.length / 2); n++) {
    const unit = v.slice(0, n);
    let ok = true;
    for (let i = n; i < v.length && ok; i++) ok = v[i] === unit[i % n];
    if (ok) return true;
  }
  return false;
}

/** Size of the smallest usual alphabet holding the value: digits, hex, lower+digits, alphanumerics, printable. */
function alphabetSize(v: string): number {
  if (/^[0-9]+$/.test(v)) return 10;
  if (/^[0-9a-f]+$/.test(v) || /^[0-9A-F]+$/.test(v)) return 16;
  if (/^[a-z0-9]+$/.test(v) || /^[A-Z0-9]+$/.test(v)) return 36;
  if (/^[A-Za-z0-9]+$/.test(v)) return 62;
  return 94;
}

/**
 * Low entropy for the claimed alphabet: a random string of n characters drawn from k has
 * about k·(1 − (1 − 1/k)^n) distinct characters; a value with well under that many was typed,
 * not generated (`aaaaBBBB1111`, `abab1212abab`). Needs 8 characters to say anything.
 */
export function fewDistinctForAlphabet(v: string): boolean {
  if (v.length < 8) return false;
  const k = alphabetSize(v);
  const expected = k * (1 - Math.pow(1 - 1 / k, v.length));
  return new Set(v).size < 0.55 * expected;
}

/** Letters outside ASCII and no digit: a word or phrase in some language (a label), not a key. */
export function naturalLanguage(v: string): boolean {
  return /\p{L}/u.test(v.replace(/[\x00-\x7f]/g, '')) && !/[0-9]/.test(v);
}

/**
 * Common words of placeholders and made-up passwords (English, and "password" in the
 * languages UI strings come in). A value made only of these, digits and punctuation — after
 * undoing leetspeak inside words (`p4ssw0rd`) — is not a generated secret.
 */
const WORDS = new Set(
  `password passwords passwd pass pwd passphrase secret secrets token tokens key keys api apikey access auth user users username
  name admin administrator root guest test tests testing demo default change me my your our the a an and of for to in on at is it
  this that here there new old value string text word code data hello world welcome let login logged log sign session cookie
  client server service local localhost host dev develop development prod production staging stage web site db database mongo
  redis mysql postgres sql mail email smtp ftp http https shared private public internal super master main temp tmp foo bar baz qux
  quux abc xyz one two three four five six seven eight nine ten first second red blue green black white cat dog sun moon star love
  monkey dragon shadow sunshine princess football baseball soccer batman superman trust no nobody none null nil empty blank
  random strong weak simple easy hard good bad very long short big small top secure safe open sesame account app application
  config setting settings my our id number pin code hunter letmein iloveyou welcome admin123 god jesus summer winter spring autumn
  passwort kennwort geheim contrasena senha wachtwoord salasana losenord haslo heslo parola parool jelszo sifre clave motdepasse
  mot de passe segreto secreto`.split(/\s+/).filter(Boolean),
);
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

export function dictionaryWords(v: string): boolean {
  // leetspeak only inside a word (`p4ssw0rd`), so `kamran1122` keeps its digits
  const unleet = v.replace(/(?<=[a-z])[013457@$](?=[a-z])/gi, (c) => LEET[c]!);
  const chunks = unleet.toLowerCase().split(/[^a-z]+/).filter(Boolean);
  if (!chunks.length || chunks.join('').length < 4) return false;
  return chunks.every(segmentable);
}

/** The chunk splits into words of the list (word break; words of one letter only `a`). */
function segmentable(s: string): boolean {
  const ok: boolean[] = [true];
  for (let i = 1; i <= s.length; i++) {
    ok[i] = false;
    for (let j = Math.max(0, i - 16); j < i && !ok[i]; j++) ok[i] = Boolean(ok[j]) && WORDS.has(s.slice(j, i)) && (i - j > 1 || s[j] === 'a');
  }
  return ok[s.length]!;
}
