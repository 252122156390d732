import { detectAddressBlocks, extendAddress } from './address.ts';
import { detectNamesAndPlaces } from './names.ts';
import { detectPatterns } from './patterns.ts';
import type { PhiType, ScanOptions, Span } from './types.ts';

/** Longest text scanned in one piece; longer input is scanned in chunks cut at line breaks. */
const MAX_CHUNK = 1 << 20;

function scanChunk(text: string, offset: number, out: Span[]): void {
  const push = (start: number, end: number, type: PhiType, confidence: number, detector: string) => {
    if (end > start) out.push({ start: start + offset, end: end + offset, type, confidence, detector });
  };
  const clinical = detectNamesAndPlaces(text, push);
  detectPatterns(text, (start, end, type, confidence, detector) => {
    // Outside clinical notes, a street line is followed by its city, region and postal code.
    const full =
      type === 'ADDRESS' && !clinical && detector !== 'unit' ? extendAddress(text, start, end) : end;
    push(start, full, type, confidence, detector);
  });
  detectAddressBlocks(text, push, clinical);
}

const ADDRESS_PARTS = new Set<PhiType>(['ADDRESS', 'ZIP', 'LOCATION', 'NAME']);

/** Keeps the best of overlapping candidates; candidates of the same type that overlap are merged. */
export function resolveOverlaps(candidates: Span[]): Span[] {
  const byPriority = [...candidates].sort(
    (a, b) => b.confidence - a.confidence || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // Accepted spans never overlap, so kept sorted by start the ones a candidate overlaps are contiguous.
  const accepted: Span[] = [];
  const firstEndingAfter = (pos: number) => {
    let lo = 0;
    let hi = accepted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (accepted[mid]!.end <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const c of byPriority) {
    const from = firstEndingAfter(c.start);
    let to = from;
    while (to < accepted.length && accepted[to]!.start < c.end) to++;
    const hits = accepted.slice(from, to);
    if (hits.length === 0) {
      accepted.splice(from, 0, { ...c });
      continue;
    }
    // An address block swallows the city, ZIP and name spans inside it.
    if (
      c.type === 'ADDRESS' &&
      hits.every((a) => a.start >= c.start && a.end <= c.end && ADDRESS_PARTS.has(a.type))
    ) {
      accepted.splice(from, hits.length, {
        ...c,
        confidence: Math.max(c.confidence, ...hits.map((a) => a.confidence)),
      });
      continue;
    }
    if (hits.length === 1 && hits[0]!.type === c.type) {
      const a = hits[0]!;
      const start = Math.min(a.start, c.start);
      const end = Math.max(a.end, c.end);
      const before = accepted[from - 1];
      const after = accepted[from + 1];
      if ((!before || before.end <= start) && (!after || after.start >= end)) {
        a.start = start;
        a.end = end;
      }
    }
  }
  return accepted;
}

/**
 * Finds the PHI in `text`. Deterministic, never throws; spans are sorted, non-overlapping and within the text.
 */
export function scan(text: string, options: ScanOptions = {}): Span[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const candidates: Span[] = [];
  let offset = 0;
  while (offset < text.length) {
    let end = Math.min(text.length, offset + MAX_CHUNK);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end);
      if (nl > offset) end = nl + 1;
    }
    scanChunk(text.slice(offset, end), offset, candidates);
    offset = end;
  }
  let spans = resolveOverlaps(candidates);
  const types = options.types ? new Set(options.types) : undefined;
  const min = options.minConfidence ?? 0;
  if (types || min > 0) spans = spans.filter((s) => (!types || types.has(s.type)) && s.confidence >= min);
  return spans;
}

/** True when `text` holds any identifier at or above `minConfidence` (default 0.5). */
export function containsPhi(text: string, minConfidence = 0.5): boolean {
  return scan(text).some((s) => s.confidence >= minConfidence);
}
