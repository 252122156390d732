/**
 * A code set loaded from a data file on first use and cached for the life of the process.
 * Lookups are Map-based; `search` matches code prefixes first, then words of the description.
 */
export interface CodeSet<T> {
  /** The entry for a code, or `undefined`. The code is normalized first (trimmed, upper case, …). */
  get(code: string): T | undefined;
  /** Whether the code is in the set (same normalization as `get`). */
  has(code: string): boolean;
  /**
   * Entries whose code starts with the query (exact code first, then in code order), followed by entries
   * whose description has every word of the query as the start of one of its words (case-insensitive;
   * whole-phrase matches first, then shorter descriptions).
   */
  search(query: string, limit?: number): T[];
  /** Every entry, in the order of the data file. */
  all(): readonly T[];
  /** How many entries the set holds (loads it). */
  readonly size: number;
  /** Whether the data file has been read yet (it is read on the first lookup). */
  readonly loaded: boolean;
}

/** How a code set is read and indexed. */
export interface CodeSetDefinition<T> {
  /** Reads the entries (called once, on first use). */
  load: () => readonly T[];
  /** The entry's lookup key, already in normalized form. */
  key: (entry: T) => string;
  /** Turns user input into the key form. */
  normalize: (code: string) => string;
  /** The text that word search looks in. */
  searchText: (entry: T) => string;
}

interface Index<T> {
  entries: readonly T[];
  byKey: Map<string, T>;
  sortedKeys: string[];
  sortedEntries: T[];
  /** Search texts, built on the first word search: ' word word … ' in lower case. */
  texts?: string[];
}

/** The default `search` limit. */
export const DEFAULT_SEARCH_LIMIT = 20;

const NON_WORD = /[^a-z0-9]+/g;

/** Splits text into lower-case alphanumeric words. */
export function words(text: string): string[] {
  return text.toLowerCase().split(NON_WORD).filter(Boolean);
}

/**
 * Creates a lazily loaded code set. `extend` adds set-specific methods (they may call the set's own
 * methods; nothing is loaded until one of them is called).
 */
export function defineCodeSet<T, X extends object = object>(
  definition: CodeSetDefinition<T>,
  extend?: (set: CodeSet<T>) => X,
): CodeSet<T> & X {
  let index: Index<T> | undefined;

  const load = (): Index<T> => {
    if (index) return index;
    const entries = definition.load();
    const byKey = new Map<string, T>();
    for (const entry of entries) byKey.set(definition.key(entry), entry);
    const sortedKeys = [...byKey.keys()].sort();
    index = { entries, byKey, sortedKeys, sortedEntries: sortedKeys.map((key) => byKey.get(key)!) };
    return index;
  };

  const codePrefixMatches = (loaded: Index<T>, prefix: string, limit: number): T[] => {
    const { sortedKeys, sortedEntries } = loaded;
    let low = 0;
    let high = sortedKeys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sortedKeys[mid]! < prefix) low = mid + 1;
      else high = mid;
    }
    const found: T[] = [];
    for (
      let i = low;
      i < sortedKeys.length && found.length < limit && sortedKeys[i]!.startsWith(prefix);
      i++
    ) {
      found.push(sortedEntries[i]!);
    }
    return found;
  };

  const wordMatches = (loaded: Index<T>, queryWords: string[]): T[] => {
    loaded.texts ??= loaded.entries.map(
      (entry) => ` ${definition.searchText(entry).toLowerCase().replace(NON_WORD, ' ')} `,
    );
    const texts = loaded.texts;
    const phrase = ` ${queryWords.join(' ')}`;
    const hits: { entry: T; phraseMiss: number; partialWords: number; length: number; order: number }[] = [];
    texts.forEach((text, order) => {
      let partialWords = 0;
      for (const word of queryWords) {
        if (!text.includes(` ${word}`)) return;
        if (!text.includes(` ${word} `)) partialWords++;
      }
      const phraseMiss = text.includes(phrase) ? 0 : 1;
      hits.push({ entry: loaded.entries[order]!, phraseMiss, partialWords, length: text.length, order });
    });
    hits.sort(
      (a, b) =>
        a.phraseMiss - b.phraseMiss ||
        a.partialWords - b.partialWords ||
        a.length - b.length ||
        a.order - b.order,
    );
    return hits.map((hit) => hit.entry);
  };

  const set: CodeSet<T> = {
    get: (code) => load().byKey.get(definition.normalize(code)),
    has: (code) => load().byKey.has(definition.normalize(code)),
    search(query, limit = DEFAULT_SEARCH_LIMIT) {
      if (limit <= 0) return [];
      const loaded = load();
      const prefix = definition.normalize(query);
      const results = prefix === '' ? [] : codePrefixMatches(loaded, prefix, limit);
      const queryWords = words(query);
      if (results.length >= limit || queryWords.length === 0) return results;
      const seen = new Set(results);
      for (const entry of wordMatches(loaded, queryWords)) {
        if (results.length >= limit) break;
        if (!seen.has(entry)) results.push(entry);
      }
      return results;
    },
    all: () => load().entries,
    get size() {
      return load().entries.length;
    },
    get loaded() {
      return index !== undefined;
    },
  };
  if (extend) Object.defineProperties(set, Object.getOwnPropertyDescriptors(extend(set)));
  return set as CodeSet<T> & X;
}
