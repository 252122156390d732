/**
 * Iterates the matches of a global regex without cloning it. `String.prototype.matchAll` copies the RegExp on
 * every call, which for the large precompiled patterns here costs more than matching a short text.
 */
export function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    yield m;
  }
}
