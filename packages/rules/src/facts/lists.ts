/**
 * Repeat counting that stays linear however long a list a change brings (the parser bounds a document,
 * not each list in it): short lists, nearly all of them, are walked without allocating a set.
 */
const SHORT_LIST = 16;
const NONE: readonly string[] = Object.freeze([]);

/** Repeated items, each once, in the order they first repeat. */
export function duplicates(items: readonly string[]): readonly string[] {
  if (items.length > SHORT_LIST) {
    const seen = new Set<string>();
    const repeated = new Set<string>();
    for (const item of items) (seen.has(item) ? repeated : seen).add(item);
    return [...repeated];
  }
  let repeated: string[] | undefined;
  for (let i = 1; i < items.length; i++) {
    const item = items[i];
    if (items.indexOf(item) < i && !repeated?.includes(item)) (repeated ??= []).push(item);
  }
  return repeated ?? NONE;
}

/** How many items repeat an earlier one: `length - new Set(items).size`. */
export function duplicateCount(items: readonly unknown[]): number {
  if (items.length > SHORT_LIST) return items.length - new Set(items).size;
  let count = 0;
  for (let i = 0; i < items.length; i++) if (items.indexOf(items[i]) !== i) count++;
  return count;
}

/** A membership test for a list: `includes` for a short one, a set for a long one. */
export function memberOf<T>(items: readonly T[]): (item: T) => boolean {
  if (items.length <= SHORT_LIST) return (item) => items.includes(item);
  const set = new Set(items);
  return (item) => set.has(item);
}
